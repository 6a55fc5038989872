#pragma once
// The controller's pass, without the event plumbing: load the manifests
// (keeping the last good model when they fail), take the state lock, run one
// reconcile pass, account for changes and drift repairs, and publish the
// status file and metrics. Pure over the Kernel interface, so the fake kernel
// drives it in unit tests; the event loop (watch_loop) decides when to call it.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/pipeline/reconcile_pass.hpp"
#include "reconciler/planner/focus.hpp"
#include "reconciler/verify/planned_check.hpp"
#include "reconciler/watcher/checks_in_force.hpp"
#include "reconciler/watcher/cluster_source.hpp"
#include "reconciler/watcher/event_scope.hpp"
#include "reconciler/watcher/settle.hpp"
#include "reconciler/watcher/status.hpp"
#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

struct ControllerConfig {
  std::string path;               // the watched manifest file or directory
  std::string state_dir;
  std::string node;               // --node: this host's slice of multi-host manifests ("" = single host)
  std::string metrics_file;       // "" = no metrics
  bool allow_writable = false;    // skip the trust rule (permissions.hpp)
  // The trust rule checks the directories above `path` up to this one; "/"
  // but in tests, whose temporary roots sit in a world-writable /tmp.
  std::string trust_ancestors_up_to = "/";
  int lock_wait_seconds = 10;     // short: a long wait would starve the watchdog
  Millis settle{3000};            // how long manifests must be still before deletions (settle.hpp)
  std::string stack;              // --stack: the stack of documents without `stack:` ("" = default)
  // --address-pools: where networks without a subnet get one.
  std::vector<AddressPool> address_pools = default_address_pools();
  // Cluster mode (--etcd): cuts each full pass's slice with what etcd says;
  // null without it.
  std::shared_ptr<ClusterSource> cluster;
  // --verify-interval: how often the manifests' checks run (and after every
  // pass that changed something); 0: never, and no checks are planned.
  Millis verify_interval{0};
  CheckPlanning checks;  // --implied, and where namespaces and etc files are
};

using KernelFactory = std::function<std::unique_ptr<Kernel>()>;

class Controller {
 public:
  Controller(ControllerConfig config, KernelFactory kernels);
  // One pass; never throws for manifest, lock, state or kernel errors (they
  // end up in the status). Returns the status after the pass.
  const WatchStatus& run_pass();
  // A pass over these containers only, against the model the last full pass
  // rendered (pipeline/focused_pass.hpp). Only when can_focus().
  const WatchStatus& run_focused_pass(const std::set<std::string>& containers);
  // Whether the last full pass converged the model now in force: only then
  // is what it rendered the desired state a focused pass may repair to.
  bool can_focus() const { return focus_ready_ && converged_.has_value(); }
  // The containers a focused pass on these works in (a p2p pair takes both
  // ends): the ones not heard from while the pass may remake them.
  std::set<std::string> focus_containers(const std::set<std::string>& containers) const {
    return converged_ ? converged_->scope(containers).containers : containers;
  }
  // How kernel events are judged: against the model the last full pass
  // rendered (none yet: every event asks for a full pass).
  const EventScope& event_scope() const { return scope_; }
  const WatchStatus& status() const { return status_; }
  // Names of the container namespaces the model in force manages.
  const std::vector<std::string>& managed_namespaces() const { return namespaces_; }
  // When the last pass held back a model that drops objects: the time it may
  // be applied if the manifests stay as they are.
  std::optional<TimePoint> deferred_until() const { return deferred_until_; }
  // The checks of the model the last clean full pass put in force, laid out
  // with its allocations; none before one (or with verify_interval 0).
  bool checks_ready() const { return checks_ready_; }
  const std::vector<verify::PlannedCheck>& checks() const { return checks_; }
  // Whether the last pass put other checks in force than those before it
  // (the first clean full pass does).
  bool checks_changed() const { return checks_changed_; }
  // A run of checks() ended: its results go into the status file and metrics.
  void record_checks(const std::vector<verify::CheckOutcome>& outcomes, double seconds);

 private:
  std::vector<std::string> load();  // errors; on success last_good_ is replaced
  void publish();
  PassHooks logging_hooks() const;
  // The pass's bookkeeping: status, totals, logs, status file and metrics.
  const WatchStatus& finish(std::chrono::steady_clock::time_point start, std::vector<std::string> errors,
                            bool manifest_error, bool pass_ok, size_t changes, size_t repairs);

  ControllerConfig config_;
  KernelFactory kernels_;
  std::optional<Desired> last_good_;
  // Every stack a model of this controller named: a stack whose manifests
  // are removed is removed too (once they have settled).
  std::set<std::string> stacks_;
  SettleGate settle_;
  std::optional<TimePoint> deferred_until_;
  // The desired resources of the last clean full pass, by container.
  std::optional<FocusIndex> converged_;
  std::vector<std::string> namespaces_;
  EventScope scope_;
  bool focus_ready_ = false;
  std::vector<verify::PlannedCheck> checks_;
  std::optional<std::string> checks_fingerprint_;
  bool checks_ready_ = false;
  bool checks_changed_ = false;
  WatchStatus status_;
};

int64_t unix_ms_now();

}  // namespace topo::watcher
