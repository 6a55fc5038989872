#include "providers/container/container_extras.hpp"

namespace topo {

void render_container_extras(const Container& c, std::vector<Resource>& out) {
  if (c.network_mode == NetworkMode::Host || c.network_mode == NetworkMode::Container) return;
  const std::string origin = "container/" + c.name;
  for (const StaticRoute& r : c.routes) {
    Resource rt{Kind::Route, c.name, r.dst.str(), {}, {}, origin};
    rt.attrs[attr::via] = r.via.str();
    out.push_back(std::move(rt));
  }
  for (const auto& [key, value] : c.sysctls) {
    Resource s{Kind::Sysctl, c.name, key, {}, {}, origin};
    s.attrs[attr::value] = value;
    out.push_back(std::move(s));
  }
}

}  // namespace topo
