#pragma once
// Deletions wait for manifests at rest. Editors, `cat >` and git-sync
// rewrite a file in steps: truncated, then half written, then whole. A pass
// that reads one of the steps in between would delete what the next step
// brings back, and deleting a namespace strands the processes in it. So a
// model that drops objects the model in force has is only applied once the
// manifests have not changed for the settle time; until then the model in
// force stays for what would be dropped: the model applied meanwhile is the
// new one plus what it drops (held_back). Pure.
#include <optional>
#include <string>

#include "reconciler/model/desired.hpp"
#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

// Whether applying `next` after `in_force` removes or remakes anything: a
// container, network or attachment gone, or a container whose namespace
// would be made anew (its mode or adopted namespace changed).
bool drops_objects(const Desired& in_force, const Desired& next);

// `next` with what it would drop from `in_force` kept as it is in force:
// additions and changes go ahead, nothing is removed or made anew. Applying
// `in_force` itself instead would remove what `next` adds and someone else
// (a hand-run apply) has made meanwhile.
Desired held_back(const Desired& in_force, const Desired& next);

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
