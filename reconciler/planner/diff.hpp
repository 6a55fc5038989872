#pragma once
// The diff: a pure function from desired resources and observed state to a
// per-object comparison and to an ordered, deterministic plan.
#include <string>
#include <vector>

#include "reconciler/planner/plan.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

enum class ObjectState { Ok, Drift, Missing, Extra };
std::string to_string(ObjectState s);

struct ObjectStatus {
  ObjectState state = ObjectState::Ok;
  Resource desired;   // empty for Extra
  Resource observed;  // empty for Missing
  std::vector<FieldChange> fields;  // Drift: the differing attributes
};

// Object by object, sorted by dependency order. Only attributes the desired
// resource sets are compared: the kernel reports more than topo asks for.
std::vector<ObjectStatus> compare(const std::vector<Resource>& desired, const Observed& observed);

struct DiffResult {
  Plan plan;
  // A desired object whose name is taken by something topo does not own.
  std::vector<std::string> conflicts;
};

// Deletes first in reverse dependency order, then creates, updates and
// replacements in dependency order; ties broken by namespace and name.
// The plan borrows `desired` (plan.hpp Action): it must outlive the plan, so
// a temporary set is refused at compile time.
DiffResult make_plan(const std::vector<Resource>& desired, const Observed& observed);
DiffResult make_plan(std::vector<Resource>&& desired, const Observed& observed) = delete;

// A stable fingerprint of the observed state, for saved plans.
std::string digest(const Observed& observed);

}  // namespace topo
