// A stack is applied and destroyed on its own, so nothing in it may lean on
// another stack's objects: destroying that stack would pull the ground from
// under this one.
#include "reconciler/loader/semantic_checks.hpp"
#include "reconciler/loader/value_parsers.hpp"

namespace topo::loader {
namespace {

std::string in_stack(const std::string& kind, const std::string& name, const std::string& stack) {
  return kind + " " + quoted(name) + " is in stack " + quoted(stack);
}

}  // namespace

void check_stacks(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  for (const RawAttachment& raw : m.attachments) {
    const Attachment& a = raw.a;
    const std::string what = "attachment of container " + quoted(a.container) + " (stack " + quoted(a.stack) + ")";
    if (auto c = names.containers.find(a.container); c != names.containers.end() && c->second->c.stack != a.stack)
      diag.error(raw.where.at("container"), what + ": " + in_stack("container", a.container, c->second->c.stack) +
                                                "; an attachment belongs to its container's stack");
    if (auto n = names.networks.find(a.network); n != names.networks.end() && n->second->net.stack != a.stack)
      diag.error(raw.where.at("network"), what + ": " + in_stack("network", a.network, n->second->net.stack) +
                                              "; a stack may only attach to its own networks");
  }
  for (const RawContainer& raw : m.containers) {
    const Container& c = raw.c;
    const std::string what = "container " + quoted(c.name) + " (stack " + quoted(c.stack) + ")";
    if (c.network_mode == NetworkMode::Container)
      if (auto t = names.containers.find(c.mode_target); t != names.containers.end() && t->second->c.stack != c.stack)
        diag.error(raw.where.at("network_mode"),
                   what + ": joins " + in_stack("container", c.mode_target, t->second->c.stack) +
                       "; a stack may only join its own containers");
    for (std::size_t i = 0; i < raw.links_written.size(); ++i) {
      Parsed<ContainerLink> link = parse_link(raw.links_written[i]);
      if (!link.value) continue;  // reported by the container checks
      auto t = names.containers.find(link.value->target);
      if (t != names.containers.end() && t->second->c.stack != c.stack)
        diag.error(raw.where.at("links." + std::to_string(i)),
                   what + ": links to " + in_stack("container", link.value->target, t->second->c.stack) +
                       "; a stack may only link to its own containers");
    }
  }
}

}  // namespace topo::loader
