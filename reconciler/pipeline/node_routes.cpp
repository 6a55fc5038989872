#include "reconciler/pipeline/node_routes.hpp"

namespace topo {

void claim_node_routes(Observed& observed, const Desired& desired) {
  const Desired& whole = desired.whole();
  for (Resource& r : observed.owned) {
    if (r.kind != Kind::Route || !r.ns.empty() || r.origin != "cluster") continue;
    const std::optional<IpPrefix> dst = IpPrefix::parse(r.name);
    if (!dst) continue;
    for (const Network& net : whole.networks) {
      if (!net.driver_settings().share_per_node()) continue;
      for (const SubnetSpec& s : net.subnets)
        if (s.subnet.contains(*dst)) {
          r.stack = net.stack;
          r.origin = "network/" + net.name;
        }
    }
  }
}

}  // namespace topo
