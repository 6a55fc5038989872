#include "reconciler/output/apply_metrics.hpp"

#include <cstdio>
#include <sstream>

namespace topo {

std::string format_apply_metrics(const ApplyRun& run) {
  std::ostringstream out;
  write_metric(out, "topo_apply_last_success", "gauge", "1 if the last apply succeeded, else 0.", run.ok ? "1" : "0");
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", static_cast<double>(run.finished_unix_ms) / 1000.0);
  write_metric(out, "topo_apply_last_timestamp_seconds", "gauge", "When the last apply ended (Unix time).", ts);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.6f", run.seconds);
  write_metric(out, "topo_apply_last_duration_seconds", "gauge", "How long the last apply took.", secs);
  write_metric(out, "topo_apply_last_changes", "gauge", "Actions the last apply carried out on the kernel.",
               std::to_string(run.changes));
  if (run.checks_passed)
    write_metric(out, "topo_apply_last_checks_passed", "gauge",
                 "With --verify: 1 if every check held after the last apply, else 0.", *run.checks_passed ? "1" : "0");
  if (run.managed) out << format_managed_objects(*run.managed);
  out << format_build_info();
  return out.str();
}

}  // namespace topo
