#pragma once
// Planned checks run and judged: the probes of those that can run sent all at
// once (probe_runner.hpp), each outcome judged against what its check
// expects. Shared by `topo verify` and the controller's checks.
#include <functional>
#include <vector>

#include "reconciler/verify/planned_check.hpp"

namespace topo::probe {

// One outcome per check, in order. `stop_fd`: as run_probes'. `on_done` (may
// be empty) hears of each check whose probe is back (or was never sent).
std::vector<verify::CheckOutcome> run_checks(
    std::vector<verify::PlannedCheck> planned, int stop_fd = -1,
    const std::function<void(const verify::PlannedCheck&)>& on_done = {});

}  // namespace topo::probe
