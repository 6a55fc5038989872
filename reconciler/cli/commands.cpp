#include "reconciler/cli/commands.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "reconciler/cli/apply_run.hpp"
#include "reconciler/cli/action_progress.hpp"
#include "reconciler/cli/terminal.hpp"
#include "reconciler/cli/verify_command.hpp"
#include "reconciler/cli/cluster_mode.hpp"
#include "reconciler/executor/fault_injection.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/output/apply_metrics.hpp"
#include "reconciler/output/format_version.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/pipeline/reconcile_pass.hpp"
#include "reconciler/planner/dependencies.hpp"
#include "reconciler/resources/stacks.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo::cli {

std::unique_ptr<Kernel> open_kernel(const Options& o) {
  KernelConfig config;
  config.netns_dir = o.netns_dir;
  config.etc_netns_dir = o.etc_netns_dir;
  // Test hook (executor/fault_injection.hpp): off unless TOPO_FAULT_* is set.
  return with_faults(make_netlink_kernel(config), fault_config_from_env());
}

namespace {

bool colour(const Options& o) { return use_colour(o); }

// `plan` prints its document at once; in text it is what apply shows first.
void print_plan(const Options& o, const Plan& plan) {
  if (o.output == "json")
    std::cout << format_plan_json(plan);
  else
    show_plan(o, plan);
}

std::string stack_or_default(const Options& o) { return o.stack.empty() ? kDefaultStack : o.stack; }

// This node's model: its slice of the manifests, in cluster mode with what
// etcd says (`take`: registering and taking what it needs, for apply).
Desired load_desired(const Options& o, bool take) {
  if (o.cluster()) return load_cluster_slice(o, take);
  return load_for_node(o.paths, o.node, stack_or_default(o));
}

}  // namespace

Prepared prepare_read_only(const Options& o, Kernel& kernel) {
  EarlyRead early(kernel);
  Desired desired = load_desired(o, /*take=*/false);
  return prepare(std::move(desired), o.state_dir, kernel, {}, address_pools_of(o), &early);
}

std::vector<AddressPool> address_pools_of(const Options& o) {
  if (o.address_pools.empty()) return default_address_pools();
  ParsedPools parsed = parse_address_pools(o.address_pools);
  if (!parsed.error.empty()) throw UserError({"--address-pools: " + parsed.error});
  if (parsed.pools.empty()) return default_address_pools();  // only empty items: as if not given
  return parsed.pools;
}

int cmd_validate(const Options& o) {
  Desired d = load_to_converge(o.paths, stack_or_default(o), o.cluster());
  if (o.output == "json") {
    std::cout << nlohmann::json{{"format_version", kJsonFormatVersion}, {"command", "validate"}, {"valid", true},
                                {"networks", d.networks.size()},      {"containers", d.containers.size()},
                                {"attachments", d.attachments.size()}, {"checks", d.checks.size()}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Valid: " << d.networks.size() << " network(s), " << d.containers.size() << " container(s), "
              << d.attachments.size() << " attachment(s).\n";
  }
  return kExitOk;
}

namespace {

// A read-only command's last step: its output flushed, the process ends
// without freeing what it read and planned. At a thousand containers those
// are some 200 000 small allocations and a thousand netlink sockets, about
// 10 ms of a 240 ms plan to free one by one, which the exit does at once;
// nothing of topo's is left to write or release (plan and diff take no
// lock and change nothing).
[[noreturn]] void end_read_only(int rc) {
  std::cout.flush();
  std::cerr.flush();
  spdlog::shutdown();
  std::fflush(nullptr);
  std::_Exit(rc);
}

}  // namespace

int cmd_plan(const Options& o) {
  auto kernel = open_kernel(o);
  Prepared p = prepare_read_only(o, *kernel);
  print_plan(o, p.diff.plan);
  if (!o.out_file.empty()) {
    // What `apply FILE` checks the host against; made only for a saved
    // plan (hashing every file's content is a twentieth of a plan).
    p.diff.plan.observed_digest = digest(p.observed);
    // Atomic, and never through a symlink (at the file or at its temporary).
    fsutil::write_atomic_path(o.out_file, plan_to_file(p.diff.plan), 0644);
    spdlog::info("plan saved to {}; carry it out with: topo apply {}", o.out_file, o.out_file);
  }
  end_read_only(o.detailed_exitcode && !p.diff.plan.empty() ? kExitChanges : kExitOk);
}

int cmd_diff(const Options& o) {
  auto kernel = open_kernel(o);
  Prepared p = prepare_read_only(o, *kernel);
  auto statuses = compare(p.resources, p.observed);
  std::cout << (o.output == "json" ? format_diff_json(statuses) : format_diff_text(statuses, colour(o)));
  bool changes = false;
  for (const auto& s : statuses) changes |= s.state != ObjectState::Ok;
  end_read_only(o.detailed_exitcode && changes ? kExitChanges : kExitOk);
}

namespace {

// --metrics-file: written when the run ends, however it ends (a manifest
// error throws past everything): what is recorded by then, else a failure.
// A file that cannot be written is a warning, not a failed apply.
class ApplyMetrics {
 public:
  explicit ApplyMetrics(const Options& o) : path_(o.metrics_file), started_(std::chrono::steady_clock::now()) {}
  ~ApplyMetrics() {
    if (path_.empty()) return;
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    run.finished_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    try {
      fsutil::write_atomic_path(path_, format_apply_metrics(run), 0644);
    } catch (const std::exception& e) {
      spdlog::warn("cannot write the metrics file: {}", e.what());
    }
  }
  ApplyMetrics(const ApplyMetrics&) = delete;
  ApplyMetrics& operator=(const ApplyMetrics&) = delete;
  ApplyRun run;  // ok stays false unless the run records success

 private:
  std::string path_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

int cmd_apply(const Options& o) {
  ApplyMetrics metrics(o);
  StateLock lock(o.state_dir, o.lock_wait_seconds);
  auto kernel = open_kernel(o);
  if (is_plan_file(o.paths)) {
    Observed before;
    Plan plan = load_saved_plan(o.paths.front(), *kernel, before);
    const int rc = run_and_report(o, plan, before, *kernel, /*destroying=*/false);
    metrics.run.ok = rc != kExitError;
    metrics.run.changes = metrics.run.ok ? plan.actions.size() : 0;
    return rc;
  }
  bool planned = false, cancelled = false;
  ActionProgress progress("apply");
  PassHooks hooks;
  hooks.on_plan = [&](const Plan& plan) {
    planned = true;
    progress.plan_size(plan.actions.size());
    show_plan(o, plan);
  };
  hooks.approve = [&](const Plan& plan) {
    cancelled = !ask(o, plan, "apply");
    return !cancelled;
  };
  hooks.on_action = [&](const Action& a) { progress.started(a); };
  hooks.on_action_done = [&](const Action& a, double seconds) { progress.done(a, seconds); };
  EarlyRead early(*kernel);
  PassResult r = reconcile_pass(load_desired(o, /*take=*/true), o.state_dir, *kernel, hooks, {}, address_pools_of(o),
                                &early);
  progress.finish();
  RunOutcome outcome;
  outcome.ok = r.ok;
  outcome.execution = r.execution;
  outcome.cancelled = cancelled;
  outcome.error_lines = r.errors;
  outcome.warnings = r.leftovers;
  bool checks_failed = false;
  if (o.verify && r.ok) {
    // The applied state stays whatever the checks find (cli.md).
    const auto checks = run_checks(o, *kernel);
    checks_failed = !all_passed(checks);
    (o.output == "json" ? outcome.verify_json : outcome.verify_text) = format_checks(o, checks);
  }
  const int rc = report_run(o, "apply", planned ? &r.plan : nullptr, outcome);
  ApplyRun& run = metrics.run;
  run.ok = r.ok && !cancelled;
  run.changes = r.changes();
  if (o.verify && r.ok) run.checks_passed = !checks_failed;
  if (run.ok) run.managed = count_managed(r.desired);
  return checks_failed ? kExitError : rc;
}

int cmd_destroy(const Options& o) {
  // The stacks to remove: those the manifests name (which must still be
  // valid, so a typo in a path is not taken for "destroy"), or --stack.
  std::set<std::string> stacks;
  if (!o.paths.empty()) {
    stacks = stacks_of(load_or_throw(o.paths, stack_or_default(o), o.cluster()));
  } else if (!o.stack.empty()) {
    stacks.insert(o.stack);
  } else {
    throw UserError({"destroy: name the manifests whose stacks to remove, or a stack with --stack NAME "
                     "(topo show lists them)",
                     "nothing was changed."});
  }
  // etcd away: nothing is destroyed, as nothing is applied (the node's
  // keys must go with its objects, or the others keep routing to it).
  if (o.cluster()) {
    open_cluster(o);  // the flags, before anything
    read_cluster(o);
  }
  StateLock lock(o.state_dir, o.lock_wait_seconds);
  auto kernel = open_kernel(o);
  Prepared p = prepare(Desired{}, o.state_dir, *kernel, stacks);
  const int rc = run_and_report(o, p.diff.plan, p.observed, *kernel, /*destroying=*/true);
  if (rc == kExitError || !o.cluster()) return rc;
  // The node's keys are node-wide: they go only once nothing of topo's is left here.
  if (Observed left = kernel->observe(); !left.owned.empty()) {
    spdlog::info("cluster mode: node {} keeps its keys in etcd: other stacks still have objects here", o.node);
    return rc;
  }
  release_cluster_node(o);
  return rc;
}

int cmd_show(const Options& o) {
  auto kernel = open_kernel(o);
  Observed obs = kernel->observe();
  inherit_namespace_stacks(obs.owned);
  if (!o.stack.empty()) {
    // One stack and what all stacks share.
    scope_to_stacks(obs, {o.stack});
  }
  std::sort(obs.owned.begin(), obs.owned.end(), dependency_less);
  if (o.cluster() && o.output == "json") {
    // One document: the objects as without --etcd, and what etcd holds.
    nlohmann::json j = nlohmann::json::parse(format_resources_json(obs.owned));
    j["cluster"] = nlohmann::json::parse(cluster_overview(o, true));
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << (o.output == "json" ? format_resources_json(obs.owned) : format_resources_text(obs.owned));
  if (o.cluster()) std::cout << "\n" << cluster_overview(o, false);
  return kExitOk;
}

}  // namespace topo::cli
