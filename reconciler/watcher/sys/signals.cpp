#include "reconciler/watcher/sys/signals.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace topo::watcher {

const std::vector<int>& BlockedSignals::handled() {
  static const std::vector<int> signals{SIGHUP, SIGTERM, SIGINT};
  return signals;
}

BlockedSignals::BlockedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : handled()) sigaddset(&set, sig);
  if (sigprocmask(SIG_BLOCK, &set, &old_) != 0)
    throw std::runtime_error(std::string("sigprocmask: ") + std::strerror(errno));
}

BlockedSignals::~BlockedSignals() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

}  // namespace topo::watcher
