#pragma once
// Debouncing: a burst of events (git-sync writing a whole tree, an editor's
// save dance, a veth pair taking its addresses) becomes one wake-up `delay`
// after the last event, but never later than `max_wait` after the first, so a
// steady trickle cannot postpone the pass forever.
#include <optional>

#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class Debouncer {
 public:
  Debouncer(Millis delay, Millis max_wait) : delay_(delay), max_wait_(max_wait) {}
  void event(TimePoint now);
  // When the burst is over; empty when nothing is pending.
  std::optional<TimePoint> deadline() const;
  bool pending() const { return first_.has_value(); }
  void clear() { first_.reset(), last_.reset(); }

 private:
  Millis delay_, max_wait_;
  std::optional<TimePoint> first_, last_;
};

}  // namespace topo::watcher
