#pragma once
// make_plan for a desired set that dies with the call (a braced list, a
// function's result): a plan borrows its desired resources (planner/plan.hpp),
// so this one is given copies of its own.
#include <vector>

#include "reconciler/planner/diff.hpp"

namespace topo::testing {

inline DiffResult make_owned_plan(const std::vector<Resource>& desired, const Observed& observed) {
  DiffResult d = make_plan(desired, observed);
  for (Action& a : d.plan.actions)
    if (a.type != ActionType::Delete) a.set_after(a.after());
  return d;
}

}  // namespace topo::testing
