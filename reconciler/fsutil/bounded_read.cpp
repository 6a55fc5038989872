#include "reconciler/fsutil/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "reconciler/fsutil/fd.hpp"

namespace topo::fsutil {

BoundedRead read_bounded(const std::string& path, std::size_t max_bytes) {
  BoundedRead r;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    r.error = std::string("cannot open: ") + std::strerror(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) {
    r.error = "is a directory";
    return r;
  }
  std::string text;
  char piece[65536];
  while (text.size() <= max_bytes) {
    const ssize_t n = ::read(fd.get(), piece, sizeof piece);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = std::string("read error: ") + std::strerror(errno);
      return r;
    }
    if (n == 0) break;
    text.append(piece, static_cast<std::size_t>(n));
  }
  if (text.size() > max_bytes) {
    r.too_large = true;
    return r;
  }
  r.text = std::move(text);
  return r;
}

}  // namespace topo::fsutil
