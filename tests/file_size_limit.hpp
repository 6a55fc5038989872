#pragma once
// Makes writes fail the way a full disk does, without privileges or a mount:
// while one of these lives, this process may not grow a file past `bytes`
// (RLIMIT_FSIZE); a write beyond fails with EFBIG (SIGXFSZ, which would kill
// the process, is ignored meanwhile). Shared by the unit and kernel tiers.
#include <signal.h>
#include <sys/resource.h>

#include <stdexcept>

namespace topo::testing {

class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    if (::getrlimit(RLIMIT_FSIZE, &saved_) != 0) throw std::runtime_error("getrlimit failed");
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) throw std::runtime_error("setrlimit failed");
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
};

}  // namespace topo::testing
