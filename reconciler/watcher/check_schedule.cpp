#include "reconciler/watcher/check_schedule.hpp"

#include <algorithm>

namespace topo::watcher {

void CheckSchedule::ask(TimePoint now) {
  if (!enabled()) return;
  asked_ = asked_ ? std::min(*asked_, now) : now;
}

void CheckSchedule::started(TimePoint) {
  running_ = true;
  // This run covers every ask so far; one made from now on waits for its end.
  asked_.reset();
}

void CheckSchedule::finished(TimePoint now) {
  running_ = false;
  last_end_ = now;
}

std::optional<TimePoint> CheckSchedule::next_run() const {
  if (!enabled() || running_) return std::nullopt;
  if (asked_) return *asked_;
  return last_end_ + interval_;
}

}  // namespace topo::watcher
