#pragma once
// A plan: the ordered actions that bring the kernel from what was observed to
// what is desired. Pure data; made by the diff, run by the executor, printed
// by the formatters, saved to and loaded from a plan file.
#include <set>
#include <string>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/ipam/pool_subnets.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

enum class ActionType { Create, Update, Delete, Replace };
std::string to_string(ActionType t);

struct FieldChange {
  std::string field, from, to;
};

struct Action {
  ActionType type = ActionType::Create;
  Resource before;  // observed; empty for Create
  Resource after;   // desired; empty for Delete
  std::vector<FieldChange> changes;  // Update and Replace
  std::string forced_by;             // Replace: the field that cannot change in place
  const Resource& subject() const { return type == ActionType::Delete ? before : after; }
};

struct Plan {
  std::vector<Action> actions;
  // Fingerprint of the observed state the plan was made against (diff.hpp
  // digest()), set only on a plan being saved: a saved plan is refused when
  // the kernel no longer matches it.
  std::string observed_digest;
  // Allocations the plan's addresses come from, remembered when it is applied.
  Allocations allocations;
  // Subnets of networks that name none, from the address pools: remembered
  // with the allocations, shown by `plan -o json`.
  PoolChoices subnets{};
  // The stacks the plan acts on (resources/stacks.hpp).
  std::set<std::string> stacks;
  // Kernel::host_warnings when the plan was made: shown, never acted on.
  std::vector<std::string> warnings;
  // What the user should know about choices made for them, one line each
  // (e.g. a host veth name taken, and the one used instead).
  std::vector<std::string> notes{};

  int to_add() const;
  int to_change() const;
  int to_destroy() const;
  bool empty() const { return actions.empty(); }
};

}  // namespace topo
