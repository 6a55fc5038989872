#pragma once
// Talking to systemd (sd_notify): READY=1 after the first pass and STATUS=
// lines. Watchdog pings are the event loop's (event_loop.hpp). Without
// NOTIFY_SOCKET (not run by systemd) every call is a no-op.
#include <string>

namespace topo::watcher {

class Notifier {
 public:
  void ready(const std::string& status);
  void status(const std::string& status);
  void stopping();
};

}  // namespace topo::watcher
