#pragma once
// The controller's checks as its status file, `topo status` and the metrics
// show them: when they last ran, how many passed and failed, and each check
// with what came back. Plain data, kept apart from verify's own types so the
// status file's shape does not move with them (check_outcomes.hpp converts).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "reconciler/output/prometheus_text.hpp"

namespace topo::watcher {

struct CheckLine {
  std::string from;    // the container probing, or "host"
  std::string target;  // as verify prints it: "b (10.71.0.20):8080/tcp"
  std::string source;  // "m.yaml:30:5" or "implied"
  std::string why;     // implied: what promises it; else ""
  bool expect_reachable = true;
  bool passed = false;
  std::string detail;  // what came back: "no reply within 1000 ms"
};

struct ChecksStatus {
  bool enabled = false;              // --verify-interval > 0
  int64_t interval_seconds = 0;
  int64_t last_run_unix_ms = 0;      // when the last run ended; 0: none yet
  double last_run_seconds = 0;       // how long it took
  uint64_t passed = 0, failed = 0;
  std::vector<CheckLine> checks;     // every check of the last run, in order
};

nlohmann::json checks_to_json(const ChecksStatus& c);
// Throws nlohmann::json::exception on a malformed object.
ChecksStatus checks_from_json(const nlohmann::json& j);
// `topo status`'s "Checks:" line and the failing checks under it; "" when
// off. `when`: the last run's end as the rest of the status writes times.
std::string format_checks_text(const ChecksStatus& c, const std::string& when);
// topo_checks_* and topo_check_passed{from,target,source}; "" when off.
std::string format_checks_metrics(const ChecksStatus& c);
using topo::escape_label_value;

}  // namespace topo::watcher
