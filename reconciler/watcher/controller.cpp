#include "reconciler/watcher/controller.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>

#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/loader/file_walk.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/output/log_fields.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/focused_pass.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/pipeline/reconcile_pass.hpp"
#include "reconciler/state/state_dir.hpp"
#include "reconciler/state/state_store.hpp"
#include "reconciler/watcher/check_outcomes.hpp"
#include "reconciler/watcher/drift.hpp"
#include "reconciler/watcher/permissions.hpp"

namespace topo::watcher {

int64_t unix_ms_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// What the manifests say, byte for byte: their paths and contents.
std::string manifests_fingerprint(const std::string& path) {
  loader::Diagnostics ignored;  // the load reports unreadable paths
  std::string all;
  for (const std::string& file : loader::collect_manifest_files({path}, ignored)) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    all += file + '\0' + std::to_string(text.str().size()) + '\0' + text.str();
  }
  return std::to_string(std::hash<std::string>{}(all)) + "/" + std::to_string(all.size());
}

}  // namespace

Controller::Controller(ControllerConfig config, KernelFactory kernels)
    : config_(std::move(config)), kernels_(std::move(kernels)), settle_(config_.settle) {
  status_.pid = static_cast<int>(::getpid());
  status_.path = config_.path;
  status_.started_unix_ms = unix_ms_now();
  status_.checks.enabled = config_.verify_interval.count() > 0;
  status_.checks.interval_seconds = config_.verify_interval.count() / 1000;
}

std::vector<std::string> Controller::load() {
  if (!config_.allow_writable) {
    auto bad = untrusted_manifest_paths(config_.path, TrustRule{static_cast<unsigned>(::geteuid()),
                                                                config_.trust_ancestors_up_to});
    if (!bad.empty()) return bad;
  }
  LoadOptions options;
  if (!config_.stack.empty()) options.default_stack = config_.stack;
  options.cluster = config_.cluster != nullptr;
  LoadResult loaded = load_manifests({config_.path}, options);
  if (!loaded.ok()) {
    std::vector<std::string> lines;
    for (const auto& e : loaded.errors) lines.push_back(e.str());
    return lines;
  }
  try {
    // A set that declares nothing (a file caught truncated) keeps the last good one.
    refuse_empty_set(loaded.desired, {config_.path});
    // Cluster mode cuts the slice at each pass, with what etcd says then.
    last_good_ = config_.cluster ? std::move(loaded.desired)
                                 : select_node_or_throw(std::move(loaded.desired), config_.node);
  } catch (const UserError& e) {
    return e.lines;
  }
  return {};
}

PassHooks Controller::logging_hooks() const {
  PassHooks hooks;
  hooks.on_action = [](const Action& a) { log_action_started(spdlog::level::debug, a); };
  hooks.on_action_done = [](const Action& a, double seconds) { log_action_done(spdlog::level::info, a, seconds); };
  hooks.on_plan = [](const Plan& plan) {
    for (const auto& n : plan.notes) spdlog::info("note: {}", n);
  };
  return hooks;
}

const WatchStatus& Controller::run_pass() {
  auto start = std::chrono::steady_clock::now();
  settle_.seen(manifests_fingerprint(config_.path), start);
  std::vector<std::string> errors = load();
  bool manifest_error = !errors.empty();
  if (manifest_error) {
    errors.push_back(std::to_string(errors.size()) + " error(s) in the manifests; " +
                     (last_good_ ? "the last good ones stay in force." : "nothing is applied until they load."));
  }

  bool pass_ok = true;
  size_t changes = 0, repairs = 0;
  deferred_until_.reset();
  focus_ready_ = false;
  checks_changed_ = false;
  std::optional<Desired> cluster_slice;
  if (last_good_ && config_.cluster) {
    try {
      cluster_slice = config_.cluster->slice(*last_good_);
    } catch (const UserError& e) {
      pass_ok = false;
      errors.insert(errors.end(), e.lines.begin(), e.lines.end());
    }
    status_.cluster = config_.cluster->health();
  }
  if (last_good_ && (!config_.cluster || cluster_slice)) {
    const Desired* model = cluster_slice ? &*cluster_slice : &*last_good_;
    const bool settled = settle_.settled(start);
    for (const std::string& stack : stacks_of(*model)) stacks_.insert(stack);
    try {
      StateLock lock(config_.state_dir, config_.lock_wait_seconds);
      std::unique_ptr<Kernel> kernel = kernels_();
      PassHooks hooks = logging_hooks();
      std::optional<std::vector<verify::PlannedCheck>> planned;
      if (status_.checks.enabled)
        hooks.on_prepared = [&](const Desired& d, const Allocations& a) {
          try {
            planned = checks_in_force(d, a, config_.checks);
          } catch (const std::exception& e) {  // a check the view cannot lay out: the pass goes on
            spdlog::warn("the checks cannot be planned: {}", e.what());
          }
        };
      if (!settled)
        hooks.restrict = [this](Plan& plan) {
          if (const std::size_t held = hold_back_destruction(plan)) {
            deferred_until_ = settle_.settles_at();
            spdlog::info("the manifests changed less than {} ms ago: {} removal(s) or replacement(s) wait until "
                         "they are still",
                         config_.settle.count(), held);
          }
        };
      PassResult r = reconcile_pass(*model, config_.state_dir, *kernel, hooks, stacks_, config_.address_pools);
      pass_ok = r.ok;
      if (r.ok) {
        changes = r.changes();
        if (converged_) repairs = count_drift_repairs(r.plan, converged_->all());
        namespaces_.clear();
        for (const auto& res : r.desired)
          if (res.kind == Kind::Namespace) namespaces_.push_back(res.name);
        status_.managed = count_managed(r.desired);
        converged_.emplace(std::move(r.desired));
        scope_ = EventScope(converged_->all());
        // A model held back is not yet the one in force everywhere; with
        // manifests that fail to load, every pass reads them again.
        focus_ready_ = !deferred_until_ && !manifest_error;
        // Logged when they change, not on every pass; the status always has them.
        if (r.plan.warnings != status_.warnings)
          for (const auto& w : r.plan.warnings) spdlog::warn("{}", w);
        status_.warnings = r.plan.warnings;
        for (const auto& l : r.leftovers) spdlog::warn("after the pass, still differs: {}", l);
        if (planned) {
          std::string fingerprint = checks_fingerprint(*planned);
          checks_changed_ = fingerprint != checks_fingerprint_;
          checks_fingerprint_ = std::move(fingerprint);
          checks_ = std::move(*planned);
          checks_ready_ = true;
        }
      } else {
        errors.insert(errors.end(), r.errors.begin(), r.errors.end());
      }
    } catch (const std::exception& e) {  // the lock, or opening the kernel
      pass_ok = false;
      errors.push_back(std::string("Error: ") + e.what());
    }
  }
  status_.last_pass_full = true;
  status_.last_focus_containers = 0;
  status_.full_passes++;
  return finish(start, std::move(errors), manifest_error, pass_ok, changes, repairs);
}

const WatchStatus& Controller::run_focused_pass(const std::set<std::string>& containers) {
  if (!can_focus()) return run_pass();
  auto start = std::chrono::steady_clock::now();
  checks_changed_ = false;  // a focused pass keeps the model, and its checks, in force
  std::vector<std::string> errors;
  bool pass_ok = true;
  size_t changes = 0, repairs = 0;
  try {
    StateLock lock(config_.state_dir, config_.lock_wait_seconds);
    std::unique_ptr<Kernel> kernel = kernels_();
    PassResult r = focused_pass(*converged_, containers, stacks_, *kernel, logging_hooks());
    pass_ok = r.ok;
    if (r.ok) {
      changes = r.changes();
      // Against the focus's own desired resources: the whole set would cost
      // what the host holds.
      repairs = count_drift_repairs(r.plan, r.desired);
      for (const auto& l : r.leftovers) spdlog::warn("after the pass, still differs: {}", l);
    } else {
      errors = std::move(r.errors);
      // The next pass reads everything: what failed here may need more than the focus.
      focus_ready_ = false;
    }
  } catch (const std::exception& e) {  // the lock, or opening the kernel
    pass_ok = false;
    focus_ready_ = false;
    errors.push_back(std::string("Error: ") + e.what());
  }
  status_.last_pass_full = false;
  status_.last_focus_containers = containers.size();
  // can_focus(): the manifests loaded at the last full pass, and have not changed since.
  return finish(start, std::move(errors), /*manifest_error=*/false, pass_ok, changes, repairs);
}

const WatchStatus& Controller::finish(std::chrono::steady_clock::time_point start, std::vector<std::string> errors,
                                      bool manifest_error, bool pass_ok, size_t changes, size_t repairs) {
  bool ok = pass_ok && !manifest_error;
  for (const auto& line : errors) spdlog::error("{}", line);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (changes > 0) spdlog::info("pass: {} change(s), {} drift repair(s), {:.3f} s", changes, repairs, seconds);

  status_.last_pass_unix_ms = unix_ms_now();
  status_.last_pass_seconds = seconds;
  status_.pass_durations.observe(seconds);
  status_.last_pass_ok = ok;
  status_.last_changes = changes;
  status_.last_drift_repaired = repairs;
  if (ok) status_.last_success_unix_ms = status_.last_pass_unix_ms;
  status_.error = errors;
  status_.manifest_error = manifest_error;
  status_.passes++;
  status_.failures += ok ? 0 : 1;
  status_.changes += changes;
  status_.drift_repairs += repairs;
  publish();
  return status_;
}

void Controller::record_checks(const std::vector<verify::CheckOutcome>& outcomes, double seconds) {
  const ChecksStatus before = status_.checks;
  record_outcomes(status_.checks, outcomes, unix_ms_now(), seconds);
  // Logged when the tally changes, not at every run; the status always has them.
  if (before.last_run_unix_ms == 0 || before.passed != status_.checks.passed ||
      before.failed != status_.checks.failed) {
    spdlog::info("checks: {} passed, {} failed, {:.3f} s", status_.checks.passed, status_.checks.failed, seconds);
    for (const CheckLine& l : status_.checks.checks)
      if (!l.passed)
        spdlog::warn("check failed: {} -> {}: expected {}, {} [{}]", l.from, l.target,
                     l.expect_reachable ? "reachable" : "unreachable", l.detail, l.source);
  }
  publish();
}

void Controller::publish() {
  try {
    // The state dir may not exist yet when no pass could take the lock.
    Fd dir = open_state_dir(config_.state_dir, /*create=*/true);
    fsutil::write_atomic(dir.get(), kStatusFile, status_to_json(status_), 0644, status_path(config_.state_dir));
  } catch (const std::exception& e) {
    spdlog::warn("cannot write the status file: {}", e.what());
  }
  if (config_.metrics_file.empty()) return;
  try {
    // The temporary's name starts with a dot and does not end in .prom, so a
    // textfile collector globbing *.prom never reads half a file.
    fsutil::write_atomic_path(config_.metrics_file, format_metrics(status_), 0644);
  } catch (const std::exception& e) {
    spdlog::warn("cannot write the metrics file: {}", e.what());
  }
}

}  // namespace topo::watcher
