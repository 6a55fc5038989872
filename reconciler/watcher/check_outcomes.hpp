#pragma once
// A run of the checks (verify's outcomes) as the controller's status keeps it.
#include <cstdint>
#include <vector>

#include "reconciler/verify/planned_check.hpp"
#include "reconciler/watcher/check_status.hpp"

namespace topo::watcher {

// Replaces the last run's results in `status` (its enabled and interval stay).
void record_outcomes(ChecksStatus& status, const std::vector<verify::CheckOutcome>& outcomes, int64_t end_unix_ms,
                     double seconds);

}  // namespace topo::watcher
