#include "reconciler/resources/stack_marks.hpp"

#include "reconciler/model/desired.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::ownership {

std::string stack_tag(const std::string& stack) {
  return stack.empty() || stack == kDefaultStack ? std::string() : stack + ":";
}

StackedText split_stack(const std::string& text) {
  const auto colon = text.find(':');
  const auto slash = text.find('/');
  if (colon == std::string::npos || colon == 0 || (slash != std::string::npos && slash < colon))
    return {kDefaultStack, text};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

std::string link_mark(const Resource& r) { return kAliasPrefix + stack_tag(r.stack) + r.origin; }

std::string namespace_mark(const std::string& container, const std::string& stack) {
  return kNamespaceAliasPrefix + stack_tag(stack) + container;
}

}  // namespace topo::ownership
