#include "reconciler/pipeline/bridge_port_checks.hpp"

#include <map>

#include "reconciler/model/kernel_limits.hpp"

namespace topo {

std::vector<std::string> bridge_port_conflicts(const std::vector<Resource>& desired, const Observed& observed) {
  // Ports topo wants on each bridge: host-namespace links with it as master,
  // and veths (whose master is their host end's).
  std::map<std::string, int> ports;
  std::map<std::string, const Resource*> bridges;
  for (const Resource& r : desired) {
    if (r.kind != Kind::Link) continue;
    if (r.ns.empty() && r.attr(attr::type) == "bridge") bridges[r.name] = &r;
    if (const std::string m = r.attr(attr::master); !m.empty()) ++ports[m];
  }
  std::vector<std::string> out;
  for (const auto& [name, br] : bridges) {
    auto theirs = observed.foreign_bridge_ports.find(name);
    const int others = theirs == observed.foreign_bridge_ports.end() ? 0 : static_cast<int>(theirs->second.size());
    const int total = ports[name] + others;
    if (total <= kMaxBridgePorts) continue;
    std::string names;
    if (others) {
      for (std::size_t i = 0; i < theirs->second.size() && i < 5; ++i) names += (i ? ", " : "") + theirs->second[i];
      if (theirs->second.size() > 5) names += ", ...";
    }
    out.push_back("bridge " + name + " (for " + br->origin + "): " + std::to_string(ports[name]) +
                  " ports of topo's" + (others ? " and " + std::to_string(others) + " other links already on it (" + names + ")" : "") +
                  " make " + std::to_string(total) + ", but a Linux bridge takes at most " +
                  std::to_string(kMaxBridgePorts) + " (the kernel refuses the next one with \"Exchange full\"); " +
                  (others ? "take those links off the bridge, or " : "") + "spread the containers over several networks");
  }
  return out;
}

}  // namespace topo
