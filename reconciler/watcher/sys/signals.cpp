#include "reconciler/watcher/sys/signals.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace topo::watcher {

SignalFd::SignalFd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (sigprocmask(SIG_BLOCK, &set, &old_) != 0)
    throw std::runtime_error(std::string("sigprocmask: ") + std::strerror(errno));
  fd_.reset(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd_) {
    int e = errno;
    sigprocmask(SIG_SETMASK, &old_, nullptr);
    throw std::runtime_error(std::string("signalfd: ") + std::strerror(e));
  }
}

SignalFd::~SignalFd() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

int SignalFd::read() {
  signalfd_siginfo info{};
  ssize_t n = ::read(fd_.get(), &info, sizeof info);
  if (n != static_cast<ssize_t>(sizeof info)) return 0;
  return static_cast<int>(info.ssi_signo);
}

}  // namespace topo::watcher
