#pragma once
// verify's report: a line per check with what was tried and what came back,
// then `N passed, N failed`; as JSON (format_version 1) and as TAP, the
// Test Anything Protocol CI systems read (as netassert prints it).
#include <string>
#include <vector>

#include "reconciler/verify/planned_check.hpp"

namespace topo::verify {

struct Tally {
  int passed = 0, failed = 0;
};
Tally tally(const std::vector<CheckOutcome>& outcomes);

std::string format_text(const std::vector<CheckOutcome>& outcomes, bool colour);
std::string format_json(const std::vector<CheckOutcome>& outcomes);
std::string format_tap(const std::vector<CheckOutcome>& outcomes);

}  // namespace topo::verify
