#include "providers/namespace/namespace_provider.hpp"

namespace topo {

void render_container_namespace(const Container& c, std::vector<Resource>& out) {
  // host and container:<name> modes share another namespace; adopted ones are
  // not topo's to create (later work).
  bool own = c.network_mode == NetworkMode::Default || c.network_mode == NetworkMode::None;
  if (!own || !c.netns.empty()) return;
  Resource r;
  r.kind = Kind::Namespace;
  r.name = c.name;
  r.attrs[attr::lo] = "up";
  r.origin = "container/" + c.name;
  out.push_back(std::move(r));
}

}  // namespace topo
