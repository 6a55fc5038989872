#pragma once
// `topo verify` and `apply --verify`: the manifests' checks (and with
// --implied the topology's own promises) probed for real from inside the
// containers' namespaces.
#include <string>
#include <vector>

#include "reconciler/cli/options.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/verify/planned_check.hpp"

namespace topo::cli {

// Runs the checks; changes nothing.
std::vector<verify::CheckOutcome> run_checks(const Options& o, Kernel& kernel);
// The report in the format -o asks for (text, json, tap).
std::string format_checks(const Options& o, const std::vector<verify::CheckOutcome>& outcomes);
bool all_passed(const std::vector<verify::CheckOutcome>& outcomes);

int cmd_verify(const Options& o);

}  // namespace topo::cli
