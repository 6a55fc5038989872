#pragma once
// Asking before destruction: on a terminal, apply and destroy show the plan
// and wait for "yes" before they remove or replace anything, as Terraform
// does. Without a terminal (scripts, CI, the controller) nothing is asked.
#include <string>

#include "reconciler/cli/options.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo::cli {

// True when approved() would ask: the plan removes or replaces something,
// no --auto-approve, and stdin is a terminal.
bool will_ask(const Options& o, const Plan& plan);

// True when the plan may go ahead: it removes and replaces nothing,
// --auto-approve was given, stdin is not a terminal, or the user typed "yes".
// A refusal is said by the caller's outcome line ("Apply cancelled: ...").
bool approved(const Options& o, const Plan& plan, const std::string& verb);

}  // namespace topo::cli
