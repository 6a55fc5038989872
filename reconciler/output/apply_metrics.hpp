#pragma once
// `topo apply --metrics-file FILE`: what a one-shot apply (a cron job, a CI
// step, a config-management run) leaves for node_exporter's textfile
// collector, as the controller does for its passes.
#include <cstdint>
#include <optional>
#include <string>

#include "reconciler/output/prometheus_text.hpp"

namespace topo {

struct ApplyRun {
  bool ok = false;
  double seconds = 0;
  uint64_t changes = 0;           // actions carried out
  int64_t finished_unix_ms = 0;
  std::optional<bool> checks_passed;  // --verify: whether every check held
  // The objects of the stacks it acted on as it left them (unset: not known,
  // as after a failed run or a saved plan).
  std::optional<ManagedObjects> managed;
};

// topo_apply_last_* gauges, topo_managed_objects and topo_build_info.
std::string format_apply_metrics(const ApplyRun& run);

}  // namespace topo
