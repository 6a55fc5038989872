#pragma once
// Deletions wait for manifests at rest. Editors, `cat >` and git-sync
// rewrite a file in steps: truncated, then half written, then whole. A pass
// that reads one of the steps in between would delete what the next step
// brings back, and deleting a namespace strands the processes in it. So
// nothing is removed or made anew until the manifests have not changed for
// the settle time; additions and in-place changes go ahead. Pure.
#include <optional>
#include <string>

#include "reconciler/planner/plan.hpp"
#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

// Takes the removals and replacements out of a plan made while the
// manifests are not yet still; returns how many. What is created or changed
// in place goes ahead. Judged on the plan, not on the models: what the
// kernel holds may be newer than the model the controller last applied (a
// hand-run apply), and only the plan knows what would really go.
std::size_t hold_back_destruction(Plan& plan);

class SettleGate {
 public:
  explicit SettleGate(Millis settle) : settle_(settle) {}
  // The manifests read at `now` have this fingerprint.
  void seen(const std::string& fingerprint, TimePoint now);
  bool settled(TimePoint now) const { return now >= settles_at(); }
  // When the manifests, if left alone, will have been still for the settle time.
  TimePoint settles_at() const { return changed_at_ + settle_; }

 private:
  Millis settle_;
  std::optional<std::string> fingerprint_;
  TimePoint changed_at_{};
};

}  // namespace topo::watcher
