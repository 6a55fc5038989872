#pragma once
// The read-only half every command shares: load and validate the manifests,
// observe the kernel, allocate addresses, render resources and diff them.
// Nothing here changes the kernel or the state dir.
#include <future>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/planner/diff.hpp"

namespace topo {

// A problem the user must fix; each line is printed as is.
struct UserError : std::runtime_error {
  std::vector<std::string> lines;
  // Manifest errors, with where they are (the lines hold them as text too):
  // `-o json` gives each its file, line and column.
  std::vector<LoadError> diagnostics;
  explicit UserError(std::vector<std::string> l, std::vector<LoadError> d = {})
      : std::runtime_error(l.empty() ? "" : l.front()), lines(std::move(l)), diagnostics(std::move(d)) {}
};

// What the read-only half needs from the command line.
struct PlanInputs {
  std::vector<std::string> paths;  // manifests
  std::string state_dir;           // remembered allocations
  std::string node = "";           // --node: this host's name in the manifests' hosts ("" = single host)
  std::string stack = kDefaultStack;  // --stack: the stack of documents without `stack:`
  // --address-pools: where networks without a subnet get one.
  std::vector<AddressPool> address_pools = default_address_pools();
};

// `cluster`: loaded for cluster mode (LoadOptions::cluster).
Desired load_or_throw(const std::vector<std::string>& paths, const std::string& default_stack = kDefaultStack,
                      bool cluster = false);
// A set to converge to must declare something: one that declares nothing (a
// 0-byte file, a file being rewritten) would plan the removal of everything
// topo manages. That is `topo destroy`'s job, asked for by name.
void refuse_empty_set(const Desired& whole, const std::vector<std::string>& paths);
// load_or_throw + refuse_empty_set: what plan, diff, apply and validate load.
Desired load_to_converge(const std::vector<std::string>& paths, const std::string& default_stack = kDefaultStack,
                         bool cluster = false);
// The manifests cut down to this node's slice (model/slice.hpp); a missing,
// unknown or needless --node is a UserError.
Desired load_for_node(const std::vector<std::string>& paths, const std::string& node,
                      const std::string& default_stack = kDefaultStack);
Desired select_node_or_throw(Desired whole, const std::string& node);

struct Prepared {
  Desired desired;
  Observed observed;
  Allocations allocations;
  std::vector<Resource> resources;
  DiffResult diff;  // its plan borrows `resources` (planner/plan.hpp): moved together, never copied apart
};

Prepared prepare(const PlanInputs& inputs, Kernel& kernel);
// The same from a model already loaded: the watcher keeps the last good one in
// force while the manifests on disk fail to load. It acts on `stacks`, or on
// the model's own stacks when that is empty; objects of other stacks are
// held apart (resources/stacks.hpp). An empty model with `stacks` plans their
// removal (destroy).
// Networks without a subnet take one from `pools` (ipam/pool_subnets.hpp).
// The kernel read on another thread while the caller loads the manifests:
// neither needs the other before the diff, and at 1000 containers each is a
// good part of a plan. Its failure comes out of take(), where a read made in
// prepare() would have failed; destroying it unread waits for the read.
class EarlyRead {
 public:
  explicit EarlyRead(Kernel& kernel);
  Observed take();

 private:
  std::future<Observed> read_;
};

// `early`: the kernel's view being taken already (unscoped); read here when null.
Prepared prepare(Desired desired, const std::string& state_dir, Kernel& kernel,
                 const std::set<std::string>& stacks = {},
                 const std::vector<AddressPool>& pools = default_address_pools(),
                 EarlyRead* early = nullptr);

// Every stack a model names (its documents' and its objects').
std::set<std::string> stacks_of(const Desired& d);

// The kernel's view restricted to `stacks` (the others held apart).
Observed observe_stacks(Kernel& kernel, const std::set<std::string>& stacks);
Observed scope_observed(Observed observed, const std::set<std::string>& stacks);

}  // namespace topo
