#pragma once
// A plan: the ordered actions that bring the kernel from what was observed to
// what is desired. Pure data; made by the diff, run by the executor, printed
// by the formatters, saved to and loaded from a plan file.
#include <memory>
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

// An action's resources are held by pointer: a cold apply of 10 000
// containers plans some 120 000 creates, and a copy of each desired resource
// in its action was a third of the apply's peak memory. A plan made by
// make_plan borrows its desired resources (borrow_after): the set it was made
// from must outlive it, as Prepared and PassResult keep it. What was observed
// is copied (set_before): an observation dies with its read.
class Action {
 public:
  ActionType type = ActionType::Create;
  std::vector<FieldChange> changes;  // Update and Replace
  std::string forced_by;             // Replace: the field that cannot change in place

  const Resource& before() const { return before_ ? *before_ : none(); }  // observed; empty for Create
  const Resource& after() const { return after_ ? *after_ : none(); }     // desired; empty for Delete
  const Resource& subject() const { return type == ActionType::Delete ? before() : after(); }
  void set_before(Resource r) { before_ = std::make_shared<const Resource>(std::move(r)); }
  void set_after(Resource r) { after_ = std::make_shared<const Resource>(std::move(r)); }
  // Points at r without owning it (a shared_ptr with no owner).
  void borrow_after(const Resource& r) { after_ = std::shared_ptr<const Resource>(std::shared_ptr<void>(), &r); }

 private:
  static const Resource& none();
  std::shared_ptr<const Resource> before_, after_;
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
