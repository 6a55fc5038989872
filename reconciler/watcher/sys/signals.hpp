#pragma once
// SIGHUP, SIGTERM and SIGINT blocked for the process while the object lives,
// so that the event loop (sd-event, event_loop.hpp) receives them as events
// and no work ever happens in a signal handler.
#include <signal.h>

#include <vector>

namespace topo::watcher {

class BlockedSignals {
 public:
  BlockedSignals();  // throws std::runtime_error
  ~BlockedSignals();
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  static const std::vector<int>& handled();  // the three above

 private:
  sigset_t old_;
};

}  // namespace topo::watcher
