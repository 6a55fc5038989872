#pragma once
// Which stacks a run acts on. A stack is the unit plan, apply and destroy
// converge or remove: objects of other stacks are held apart, never changed,
// and a desired object with one of their names is a conflict naming the
// stack. Pure.
#include <set>
#include <string>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

// Objects in a container's namespace whose own marks name no stack (its
// files, its settings) belong to the stack of that container's namespace.
void inherit_namespace_stacks(std::vector<Resource>& resources);

// Keeps in `observed.owned` the objects of `stacks` and the shared ones
// (stack ""), and moves the others to observed.held / held_resources. While
// other stacks hold anything, the shared objects are kept (observed.keep).
void scope_to_stacks(Observed& observed, const std::set<std::string>& stacks);

// Every stack that owns something in `observed` (owned and held alike).
std::set<std::string> observed_stacks(const Observed& observed);

}  // namespace topo
