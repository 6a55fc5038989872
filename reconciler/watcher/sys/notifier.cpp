#include "reconciler/watcher/sys/notifier.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstring>

namespace topo::watcher {

namespace {
void notify(const std::string& state) {
  int rc = sd_notify(0, state.c_str());
  if (rc < 0) spdlog::debug("sd_notify({}): {}", state, std::strerror(-rc));
}
}  // namespace

Notifier::Notifier() {
  uint64_t usec = 0;
  // > 0: the service manager expects pings, every usec at the latest.
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    interval_ = Millis(std::max<uint64_t>(usec / 2000, 1));
    spdlog::debug("watchdog: pinging every {} ms", interval_->count());
  }
}

void Notifier::ready(const std::string& status) { notify("READY=1\nSTATUS=" + status); }
void Notifier::status(const std::string& status) { notify("STATUS=" + status); }
void Notifier::stopping() { notify("STOPPING=1\nSTATUS=stopping"); }

std::optional<TimePoint> Notifier::ping(TimePoint now) {
  if (!interval_) return std::nullopt;
  if (now >= next_ping_) {
    notify("WATCHDOG=1");
    next_ping_ = now + *interval_;
  }
  return next_ping_;
}

}  // namespace topo::watcher
