#include "reconciler/watcher/check_outcomes.hpp"

namespace topo::watcher {

void record_outcomes(ChecksStatus& status, const std::vector<verify::CheckOutcome>& outcomes, int64_t end_unix_ms,
                     double seconds) {
  status.last_run_unix_ms = end_unix_ms;
  status.last_run_seconds = seconds;
  status.passed = status.failed = 0;
  status.checks.clear();
  for (const auto& o : outcomes) {
    (o.passed ? status.passed : status.failed)++;
    CheckLine l;
    l.from = o.check.from;
    l.target = o.check.target;
    l.source = o.check.source;
    l.why = o.check.why;
    l.expect_reachable = o.check.expect_reachable;
    l.passed = o.passed;
    l.detail = o.result.detail;
    status.checks.push_back(std::move(l));
  }
}

}  // namespace topo::watcher
