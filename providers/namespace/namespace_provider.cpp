#include "providers/namespace/namespace_provider.hpp"

#include "providers/container/container_extras.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

std::string namespace_mode(const Container& c) {
  switch (c.network_mode) {
    case NetworkMode::Host: return ns_mode::host;
    case NetworkMode::Container: return ns_mode::container_prefix + c.mode_target;
    case NetworkMode::Default:
    case NetworkMode::None: break;
  }
  return c.netns.empty() ? "" : ns_mode::adopted_prefix + c.netns;
}

void render_container_namespace(const Container& c, std::vector<Resource>& out) {
  Resource r;
  r.kind = Kind::Namespace;
  r.name = c.name;
  r.origin = "container/" + c.name;
  const std::string mode = namespace_mode(c);
  if (mode.empty()) {
    r.attrs[attr::lo] = "up";
  } else {
    // Not topo's namespace: its lo is left as it is. A different target
    // means a different bind mount, so the entry is made again.
    r.attrs[attr::mode] = mode;
    r.replace_on = {attr::mode};
  }
  out.push_back(std::move(r));
  render_container_extras(c, out);
}

}  // namespace topo
