#pragma once
// SIGHUP, SIGTERM and SIGINT delivered through a signalfd, so no work ever
// happens in a signal handler: the loop reads them like any other event.
// The signals are blocked for the process while the object lives.
#include <signal.h>

#include "reconciler/kernel/fd.hpp"

namespace topo::watcher {

class SignalFd {
 public:
  SignalFd();  // throws std::runtime_error
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  int fd() const { return fd_.get(); }
  // The next pending signal number, or 0 when none is pending.
  int read();

 private:
  Fd fd_;
  sigset_t old_;
};

}  // namespace topo::watcher
