#pragma once
// One reconcile pass: observe, plan against a loaded model, carry the plan out
// with rollback, remember allocations and read back. `topo apply` runs one;
// the `topo watch` controller runs one per wake-up. The caller holds the
// state lock. Never throws for user or kernel errors: they come back as lines.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/executor/carry_out.hpp"
#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo {

class EarlyRead;  // pipeline.hpp

struct PassHooks {
  std::function<void(Plan&)> restrict;           // may take actions out of the plan before anything else
  std::function<void(const Plan&)> on_plan;      // before anything is changed
  std::function<bool(const Plan&)> approve;      // after on_plan; false: nothing is changed
  std::function<void(const Action&)> on_action;  // before each action
  std::function<void(const Action&, double seconds)> on_action_done;  // after each that succeeded
  // Once the model is allocated, before the plan runs: the model and its
  // allocations as this pass puts them in force (the controller plans its
  // checks from them), seen now since the pass frees them before the run.
  std::function<void(const Desired&, const Allocations&)> on_prepared;
};

struct PassResult {
  bool ok = true;
  Plan plan;                           // what was planned (and, when ok, carried out)
  // Rendered desired resources (empty if planning failed). The plan borrows
  // them (planner/plan.hpp): moving the vector keeps them where they are.
  std::vector<Resource> desired;
  std::vector<std::string> errors;     // as the user should read them; empty when ok
  std::vector<std::string> leftovers;  // still differing after the read-back (warnings)
  // Set once the plan began to run on the kernel: whether it failed there and
  // how the rollback went. Unset: nothing was changed (ok or not).
  std::optional<ExecuteResult> execution;
  size_t changes() const { return ok ? plan.actions.size() : 0; }
};

// `stacks`: those the pass acts on; empty: the model's own (pipeline.hpp).
// `pools`: where networks without a subnet get one (--address-pools).
// `early`: the kernel read already under way (pipeline.hpp).
// `desired` by value: a caller done with its model moves it in, and it is
// freed once rendered, before the plan runs.
PassResult reconcile_pass(Desired desired, const std::string& state_dir, Kernel& kernel,
                          const PassHooks& hooks = {}, const std::set<std::string>& stacks = {},
                          const std::vector<AddressPool>& pools = default_address_pools(),
                          EarlyRead* early = nullptr);

}  // namespace topo
