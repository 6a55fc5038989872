// Container `routes:` against the routes topo sets itself: a default route
// (0.0.0.0/0 or ::/0, however spelled) next to the one an attachment carries
// would be two routes to one destination in one table, which the kernel
// refuses mid-apply (or, with another metric, leaves it unclear which wins).
#include "reconciler/loader/defaults.hpp"
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {

void check_routes(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  std::map<std::string, std::vector<const RawAttachment*>> per_container;
  for (const RawAttachment& raw : m.attachments) per_container[raw.a.container].push_back(&raw);
  // As build_desired decides (defaults.cpp): a network without a gateway
  // (p2p) carries no default route, as an internal one does not.
  auto internal = [&names](const std::string& network) {
    auto it = names.networks.find(network);
    return it != names.networks.end() &&
           (it->second->net.internal || !it->second->net.driver_settings().has_gateway());
  };

  for (const RawContainer& raw : m.containers) {
    if (raw.c.routes.empty()) continue;
    auto atts = per_container.find(raw.c.name);
    if (atts == per_container.end()) continue;
    const RawAttachment* carrier = default_route_carrier(atts->second, internal);
    if (!carrier) continue;
    auto net = names.networks.find(carrier->a.network);
    if (net == names.networks.end()) continue;  // unknown network: reported by the attachment checks

    for (std::size_t i = 0; i < raw.c.routes.size(); ++i) {
      const IpPrefix& dst = raw.c.routes[i].dst;
      if (dst.len != 0 || !dst.is_network()) continue;  // host bits: reported by the container checks
      // The carrier's network has a subnet of this family (one from the
      // address pools is IPv4).
      bool carried = net->second->net.subnet_from_pools && dst.addr.is_v4();
      for (const SubnetSpec& s : net->second->net.subnets) carried |= s.subnet.addr.family == dst.addr.family;
      if (!carried) continue;
      const std::string family = dst.addr.is_v4() ? "IPv4" : "IPv6";
      diag.error(raw.where.at("routes." + std::to_string(i) + ".dst"),
                 "container " + quoted(raw.c.name) + ": route dst " + dst.str() + " is the " + family +
                     " default route, which its attachment to network " + quoted(carrier->a.network) + " at " +
                     carrier->where.object.str() +
                     " already carries; drop this route or set default_route: false on that attachment");
    }
  }
}

}  // namespace topo::loader
