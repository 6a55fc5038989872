#pragma once
// How a stack is written into topo's ownership marks (resources/ownership.hpp).
// The default stack is spelled as marks were before stacks existed, so every
// object made then belongs to it without a migration:
//   link alias   "topo:" [STACK ":"] origin       e.g. "topo:web:network/front"
//   lo alias     "topo-ns:" [STACK ":"] container
//   firewall     a fifth label field (resources/firewall.hpp)
// A stack name cannot hold ':' or '/' (names are [A-Za-z0-9_.-]), so the
// first ':' before any '/' ends it.
#include <string>

#include "reconciler/resources/resource.hpp"

namespace topo::ownership {

// "" for the default stack (and for shared objects), else "STACK:".
std::string stack_tag(const std::string& stack);

struct StackedText {
  std::string stack;  // kDefaultStack when the text names none
  std::string rest;
};
// Splits "[STACK:]rest" as stack_tag wrote it.
StackedText split_stack(const std::string& text);

// The alias of a link topo makes for `r` (its origin and stack).
std::string link_mark(const Resource& r);
// The alias of `lo` in a namespace topo makes for a container.
std::string namespace_mark(const std::string& container, const std::string& stack);

}  // namespace topo::ownership
