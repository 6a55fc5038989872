#pragma once
// What the controller tells the world after every pass: a status file in the
// state dir (read by `topo status`) and Prometheus metrics for the
// node_exporter textfile collector. Pure formatting and parsing.
#include "reconciler/output/prometheus_text.hpp"
#include "reconciler/watcher/check_status.hpp"
#include "reconciler/watcher/cluster_source.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace topo::watcher {

struct WatchStatus {
  int pid = 0;
  std::string path;                 // the watched PATH
  int64_t started_unix_ms = 0;      // when the controller started
  // The last pass.
  int64_t last_pass_unix_ms = 0;    // when it ended; 0: no pass yet
  double last_pass_seconds = 0;     // how long it took
  bool last_pass_ok = false;
  uint64_t last_changes = 0;        // actions carried out
  uint64_t last_drift_repaired = 0; // of which repaired drift (the manifests had not changed)
  // Whether it read everything, or only the containers kernel events named
  // (pipeline/focused_pass.hpp), and how many.
  bool last_pass_full = true;
  uint64_t last_focus_containers = 0;
  int64_t last_success_unix_ms = 0;
  // The current error, line by line (empty when the last pass was clean).
  std::vector<std::string> error;
  // The error is in the manifests: the last good ones stay in force.
  bool manifest_error = false;
  // What the last plan warned about (another firewall that drops topo's
  // traffic): the host is converged, and still does not work as written.
  std::vector<std::string> warnings;
  // Totals since the controller started.
  uint64_t passes = 0, failures = 0, changes = 0, drift_repairs = 0;
  uint64_t full_passes = 0;  // of the passes, those that read everything
  // Cluster mode: etcd as the last full pass found it.
  ClusterHealth cluster{};
  // The manifests' checks as the controller last ran them (--verify-interval).
  ChecksStatus checks{};
  // Metrics only, not in the status file: the pass durations since start,
  // and what the last successful full pass left in force.
  DurationHistogram pass_durations{};
  ManagedObjects managed{};
};

std::string status_to_json(const WatchStatus& s);
// Throws std::runtime_error on a malformed document.
WatchStatus status_from_json(const std::string& text);
// For `topo status`; `running`: whether the controller's pid is alive.
std::string format_status_text(const WatchStatus& s, bool running);
// {"recorded": true, "running", ...the status file's fields}.
std::string format_status_json(const WatchStatus& s, bool running);
// `topo status -o json` when no controller run is recorded in the state dir:
// {"command": "status", "ok": false, "recorded": false, "running": false,
//  "errors": [{"message": why}]}.
std::string format_no_status_json(const std::string& why);
// Prometheus text exposition format, with HELP and TYPE for every metric.
std::string format_metrics(const WatchStatus& s);

// The status file's name in the state dir, and its path.
inline constexpr const char* kStatusFile = "watch-status.json";
std::string status_path(const std::string& state_dir);

}  // namespace topo::watcher
