#pragma once
// When the controller runs its checks (--verify-interval): after every pass
// that changed something or put other checks in force, and every interval,
// counted from the end of the last run. Never two runs at once, and never a
// queue of them: asks that come while a run goes on make one more run after
// it (what changed meanwhile may not have been seen by the probes); an
// interval that falls due meanwhile is covered by the run going on.
#include <optional>

#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class CheckSchedule {
 public:
  // `interval` 0: the controller runs no checks at all.
  CheckSchedule(Millis interval, TimePoint now) : interval_(interval), last_end_(now) {}

  bool enabled() const { return interval_.count() > 0; }
  // A pass changed something, or the checks in force changed: a run now.
  void ask(TimePoint now);
  void started(TimePoint now);
  void finished(TimePoint now);
  bool running() const { return running_; }
  // When the next run is due; none while off or while one runs (its end
  // re-arms the schedule).
  std::optional<TimePoint> next_run() const;
  bool due(TimePoint now) const {
    auto next = next_run();
    return next && *next <= now;
  }

 private:
  Millis interval_;
  bool running_ = false;
  std::optional<TimePoint> asked_;  // the earliest ask not yet covered by a run
  TimePoint last_end_;
};

}  // namespace topo::watcher
