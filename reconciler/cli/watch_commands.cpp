#include "reconciler/cli/watch_commands.hpp"

#include <nlohmann/json.hpp>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "reconciler/cli/cluster_mode.hpp"
#include "reconciler/cli/commands.hpp"
#include "reconciler/executor/fault_injection.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/state/state_dir.hpp"
#include "reconciler/watcher/status.hpp"
#include "reconciler/watcher/sys/watch_loop.hpp"

namespace topo::cli {

int cmd_watch(const Options& o, const WatchOptions& w) {
  if (o.paths.size() != 1) throw UserError({"topo watch takes exactly one PATH (a manifest file or directory)"});
  // A state dir others could change is refused before the controller starts.
  open_state_dir(o.state_dir, /*create=*/true);
  watcher::WatchConfig c;
  c.controller.path = o.paths.front();
  c.controller.state_dir = o.state_dir;
  c.controller.node = o.node;
  c.controller.metrics_file = w.metrics_file;
  c.controller.allow_writable = w.allow_writable;
  // A pass must not sit on the lock for long: the watchdog is pinged between passes.
  c.controller.lock_wait_seconds = std::min(o.lock_wait_seconds, 10);
  c.controller.settle = watcher::Millis(w.settle_ms);
  c.controller.stack = o.stack;
  c.controller.address_pools = address_pools_of(o);
  if (o.cluster()) {
    c.etcd = open_cluster(o);
    c.controller.cluster = c.etcd;
  }
  c.schedule.debounce = watcher::Millis(w.debounce_ms);
  c.schedule.kernel_debounce = watcher::Millis(w.kernel_debounce_ms);
  c.schedule.resync = watcher::Millis(int64_t{w.resync_seconds} * 1000);
  c.schedule.backoff_cap = std::max(c.schedule.backoff_initial, watcher::Millis(int64_t{w.max_backoff_seconds} * 1000));
  c.controller.verify_interval = watcher::Millis(int64_t{w.verify_interval_seconds} * 1000);
  c.controller.checks.implied = o.implied;
  c.controller.checks.netns_dir = o.netns_dir;
  c.controller.checks.etc_netns_dir = o.etc_netns_dir;
  c.netns_dir = o.netns_dir;
  c.etc_netns_dir = o.etc_netns_dir;
  // Test hook: a tiny receive buffer, to lose netlink events on purpose.
  if (const char* rcvbuf = std::getenv("TOPO_TEST_EVENT_RCVBUF")) c.event_rcvbuf = std::atoi(rcvbuf);
  // Test hook: a short bound on the wait for READY=1 (watcher/readiness.hpp).
  if (const char* bound = std::getenv("TOPO_TEST_READY_BOUND_MS")) c.ready_bound = watcher::Millis(std::atoll(bound));
  KernelConfig config;
  config.netns_dir = o.netns_dir;
  config.etc_netns_dir = o.etc_netns_dir;
  // Test hook (executor/fault_injection.hpp): off unless TOPO_FAULT_* is set.
  return watcher::run_watch(c, [config] { return with_faults(make_netlink_kernel(config), fault_config_from_env()); });
}

int cmd_status(const Options& o) {
  std::string path = watcher::status_path(o.state_dir);
  Fd dir = open_state_dir(o.state_dir, /*create=*/false);
  std::optional<std::string> text;
  if (dir) text = fsutil::read_file_at(dir.get(), watcher::kStatusFile, path);
  if (!text) {
    // Not an error of the command line: a state no program should have to
    // tell from silence, so -o json says it in a document of its own.
    const std::string why = path + ": no controller run is recorded; `topo watch` has not run with --state-dir " + o.state_dir;
    std::cerr << why << "\n";
    if (o.output == "json") std::cout << watcher::format_no_status_json(why);
    return kExitError;
  }
  watcher::WatchStatus s;
  try {
    s = watcher::status_from_json(*text);
  } catch (const std::exception& e) {
    throw UserError({path + ": " + e.what()});
  }
  // EPERM: alive, owned by someone else.
  bool running = s.pid > 0 && (::kill(s.pid, 0) == 0 || errno == EPERM);
  if (o.cluster() && o.output == "json") {
    // The controller's record and, asked now, what etcd holds.
    nlohmann::json j = nlohmann::json::parse(watcher::format_status_json(s, running));
    j["etcd"] = nlohmann::json::parse(cluster_overview(o, true));
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << (o.output == "json" ? watcher::format_status_json(s, running)
                                     : watcher::format_status_text(s, running));
    if (o.cluster()) std::cout << cluster_overview(o, false);
  }
  return running && s.last_pass_ok ? kExitOk : kExitError;
}

}  // namespace topo::cli
