#pragma once
// Talking to systemd (sd_notify): READY=1 and STATUS= lines, as the pure
// Readiness (reconciler/watcher/readiness.hpp) decides them. Watchdog pings
// are the event loop's (event_loop.hpp). Without NOTIFY_SOCKET (not run by
// systemd) every call is a no-op.
#include <string>

#include "reconciler/watcher/readiness.hpp"

namespace topo::watcher {

class Notifier {
 public:
  void send(const Notice& notice);
  void status(const std::string& status);
  void stopping();
};

}  // namespace topo::watcher
