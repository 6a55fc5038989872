#pragma once
// When the controller runs its next pass. The loop is level-based: events
// only say "look again", and every pass reads everything. Sources:
// - manifest changes (inotify), debounced; they also cut a backoff short,
//   since new input deserves a prompt look;
// - kernel changes (netlink), debounced and held back by a backoff, so a
//   failing pass plus its own netlink noise can never spin;
// - SIGHUP: at once;
// - the periodic full resync, counted from the end of the last pass;
// - after a failure, the retry when the backoff expires.
#include <optional>

#include "reconciler/watcher/backoff.hpp"
#include "reconciler/watcher/debounce.hpp"

namespace topo::watcher {

struct SchedulerConfig {
  Millis debounce{250};  // of manifest changes: an editor or git-sync writes in bursts
  // Of kernel changes: a hand-deleted veth is a burst of a few events within
  // a millisecond or two (both ends, their addresses and routes), so a short
  // quiet is enough, and drift is repaired promptly.
  Millis kernel_debounce{20};
  Millis resync{60'000};
  Millis backoff_initial{1'000};
  Millis backoff_cap{60'000};
};

class Scheduler {
 public:
  // The first pass is due at `now`.
  Scheduler(const SchedulerConfig& config, TimePoint now);

  void manifest_changed(TimePoint now) { manifests_.event(now); }
  void kernel_changed(TimePoint now) { kernel_.event(now); }
  void reconcile_now(TimePoint now) { now_ = now; }
  // A pass at `when` at the latest (a model held back until the manifests settle).
  void reconcile_at(TimePoint when) { at_ = when; }
  // A pass ended at `now`; everything pending before it is covered by it.
  void pass_done(TimePoint now, bool ok);

  TimePoint next_pass() const;
  bool due(TimePoint now) const { return next_pass() <= now; }
  const Backoff& backoff() const { return backoff_; }

 private:
  SchedulerConfig config_;
  Debouncer manifests_, kernel_;
  Backoff backoff_;
  std::optional<TimePoint> now_;  // an immediate pass was asked for
  std::optional<TimePoint> at_;   // a pass asked for at a later time
  TimePoint last_end_;
  TimePoint retry_at_;  // last_end_ + backoff; == last_end_ after a success
};

}  // namespace topo::watcher
