#pragma once
// The controller's event loop on libsystemd's sd-event: readable fds
// (inotify, netlink), signals, one timer for the next pass, and the service
// manager's watchdog (sd_event_set_watchdog pings WATCHDOG=1 by itself when
// the unit sets WatchdogSec=). Handlers run on this thread, one at a time,
// never inside a signal handler.
#include <systemd/sd-event.h>

#include <functional>
#include <map>
#include <memory>

#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class EventLoop {
 public:
  EventLoop();  // throws std::runtime_error
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // `sig` must already be blocked (BlockedSignals); `on` gets its number.
  void on_signal(int sig, std::function<void(int)> on);
  // Calls `on` whenever `fd` is readable (or in error), until forget(fd).
  void on_readable(int fd, std::function<void()> on);
  void forget(int fd);
  bool watches(int fd) const { return readable_.count(fd) != 0; }
  // The one timer: wakes the loop at `when` (re-arming replaces the last).
  void wake_at(TimePoint when);
  // Waits for the next event (or the timer) and dispatches it.
  void run_once();
  // Whether the service manager asked for watchdog pings.
  bool watchdog() const;

 private:
  struct SourceUnref {
    void operator()(sd_event_source* s) const noexcept { sd_event_source_disable_unref(s); }
  };
  using Source = std::unique_ptr<sd_event_source, SourceUnref>;
  struct Handler {
    Source source;
    std::function<void()> on;
  };

  sd_event* event_ = nullptr;
  std::map<int, std::unique_ptr<Handler>> readable_;  // by fd; stable addresses for the userdata
  std::map<int, std::unique_ptr<std::function<void(int)>>> signal_handlers_;
  std::map<int, Source> signals_;
  Source timer_;
};

}  // namespace topo::watcher
