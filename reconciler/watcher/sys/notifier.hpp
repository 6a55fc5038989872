#pragma once
// Talking to systemd (sd_notify): READY=1 after the first pass, STATUS= lines,
// WATCHDOG=1 pings when the unit sets WatchdogSec=. Without NOTIFY_SOCKET
// (not run by systemd) every call is a no-op.
#include <optional>
#include <string>

#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class Notifier {
 public:
  Notifier();
  void ready(const std::string& status);
  void status(const std::string& status);
  void stopping();
  // Pings the watchdog if it is due; returns when the next ping is due (empty: no watchdog).
  std::optional<TimePoint> ping(TimePoint now);

 private:
  std::optional<Millis> interval_;  // half the watchdog timeout
  TimePoint next_ping_{};
};

}  // namespace topo::watcher
