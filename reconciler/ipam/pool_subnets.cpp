#include "reconciler/ipam/pool_subnets.hpp"

#include <optional>
#include <set>
#include <utility>

namespace topo {

namespace {

// A network of the model, or of another stack: (stack, name).
using NetworkId = std::pair<std::string, std::string>;

// A prefix that a pool subnet must not overlap, and whose it is.
struct Taken {
  IpPrefix prefix;                 // host bits cleared
  std::optional<NetworkId> owner;  // unset: the host's own
  std::string what;                // for messages
};

IpPrefix as_network(const IpPrefix& p) { return IpPrefix{p.network(), p.len}; }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The network an observed address belongs to: a network's own (its bridge's
// gateway) by origin; an attachment's through the model's attachments, by
// the mark's origin or by where the address is (a p2p pair's far end carries
// its pair's mark); else, an address of a subnet the state dir remembers for
// a network of its stack, that network's: what an attachment renamed or gone
// left behind must not push the network off its own subnet.
std::optional<NetworkId> owner_of(const Resource& r, const Desired& desired, const PoolChoices& remembered) {
  if (starts_with(r.origin, "network/")) return NetworkId{r.stack, r.origin.substr(8)};
  const std::string rest = starts_with(r.origin, "attachment/") ? r.origin.substr(11) : "";  // container/interface
  for (const Attachment& a : desired.whole().attachments)
    if (a.stack == r.stack &&
        (a.container + "/" + a.interface == rest || (a.container == r.ns && a.interface == r.attr(attr::dev))))
      return NetworkId{a.stack, a.network};
  const auto p = IpPrefix::parse(r.attr(attr::address));
  if (!p) return std::nullopt;
  for (const auto& [name, choice] : remembered)
    if (choice.stack == r.stack && choice.subnet.contains(p->addr)) return NetworkId{choice.stack, name};
  return std::nullopt;
}

struct KernelAddress {
  IpPrefix prefix;  // host bits cleared
  IpAddress address;
  std::optional<NetworkId> owner;
  bool on_network = false;  // origin network/...: the gateway on its bridge
};

std::vector<KernelAddress> kernel_addresses(const Observed& observed, const Desired& desired,
                                            const PoolChoices& remembered) {
  std::vector<KernelAddress> out;
  for (const auto* set : {&observed.owned, &observed.held_resources})
    for (const Resource& r : *set) {
      if (r.kind != Kind::Address) continue;
      const auto p = IpPrefix::parse(r.attr(attr::address));
      if (!p) continue;
      out.push_back({as_network(*p), p->addr, owner_of(r, desired, remembered), starts_with(r.origin, "network/")});
    }
  return out;
}

// The subnet a pool network has in the kernel. An address added to its
// bridge by hand is drift, not a new subnet, so the best witness first: the
// remembered subnet when the kernel shows it, then the gateway topo puts on
// the bridge (the first host address), any address of the bridge, one of its
// attachments'.
std::optional<IpPrefix> live_subnet(const NetworkId& id, const std::vector<KernelAddress>& addrs,
                                    const std::optional<IpPrefix>& remembered) {
  std::optional<IpPrefix> best;
  int best_rank = 0;
  for (const KernelAddress& a : addrs) {
    if (a.owner != id || !a.prefix.addr.is_v4()) continue;
    int rank = a.on_network ? 2 : 1;                                  // the bridge's, else an attachment's
    if (a.on_network && a.address == a.prefix.addr.plus(1)) rank = 3;  // the gateway topo puts there
    if (remembered && a.prefix == *remembered) rank = 4;
    if (rank > best_rank) {
      best = a.prefix;
      best_rank = rank;
    }
  }
  return best;
}

// The state dir's choice for a network, if it is that network's (same stack).
std::optional<IpPrefix> remembered_for(const Network& n, const PoolChoices& remembered) {
  auto it = remembered.find(n.name);
  if (it == remembered.end() || it->second.stack != n.stack || !it->second.subnet.addr.is_v4()) return std::nullopt;
  return as_network(it->second.subnet);
}

const Taken* overlap(const IpPrefix& p, const NetworkId& self, const std::vector<Taken>& taken) {
  for (const Taken& t : taken)
    if (t.owner != self && t.prefix.overlaps(p)) return &t;
  return nullptr;
}

std::vector<IpPrefix> prefixes_except(const NetworkId& self, const std::vector<Taken>& taken) {
  std::vector<IpPrefix> out;
  for (const Taken& t : taken)
    if (t.owner != self) out.push_back(t.prefix);
  return out;
}

}  // namespace

PoolResult assign_pool_subnets(Desired& desired, const PoolChoices& remembered, const Observed& observed,
                               const std::vector<AddressPool>& pools) {
  PoolResult result;
  std::vector<Network*> wanting;
  for (Network& n : desired.networks)
    if (n.subnet_from_pools) wanting.push_back(&n);
  if (wanting.empty()) return result;

  std::vector<Taken> taken;
  // What the manifests write: every stack's, every node's.
  std::set<std::string> in_model;
  for (const Network& n : desired.whole().networks) {
    in_model.insert(n.name);
    if (n.subnet_from_pools) continue;
    for (const SubnetSpec& s : n.subnets)
      taken.push_back({as_network(s.subnet), NetworkId{n.stack, n.name}, "subnet of network " + n.name});
  }
  const std::size_t written = taken.size();
  // What topo holds in the kernel, whichever stack's.
  const std::vector<KernelAddress> addrs = kernel_addresses(observed, desired, remembered);
  for (const KernelAddress& a : addrs)
    taken.push_back({a.prefix, a.owner, a.owner ? "network " + a.owner->second : "an address topo holds"});
  // The host's own networks.
  for (const auto& h : observed.host_networks)
    if (const auto p = IpPrefix::parse(h.cidr)) taken.push_back({as_network(*p), std::nullopt, "the host's " + h.what});
  // Choices remembered for networks of other stacks, which may come back.
  for (const auto& [name, choice] : remembered)
    if (!in_model.count(name))
      taken.push_back({choice.subnet, NetworkId{choice.stack, name}, "network " + name + " of stack " + choice.stack});

  auto take = [&](Network& n, const IpPrefix& subnet) {
    SubnetSpec s;
    s.subnet = subnet;
    // The first host address, as for a written subnet; none for a network
    // without a gateway (p2p).
    if (n.driver_settings().has_gateway()) s.gateway = subnet.network().plus(1);
    s.where = n.where;
    n.subnets = {s};
    result.chosen[n.name] = PoolChoice{subnet, n.stack};
    taken.push_back({subnet, NetworkId{n.stack, n.name}, "network " + n.name + "'s subnet from the pools"});
  };

  // 1. A network that exists keeps its subnet, whatever else wants it now:
  // another network written over it is the one to move.
  std::vector<Network*> rest;
  for (Network* n : wanting) {
    const NetworkId id{n->stack, n->name};
    const std::optional<IpPrefix> live = live_subnet(id, addrs, remembered_for(*n, remembered));
    if (!live) {
      rest.push_back(n);
      continue;
    }
    for (std::size_t i = 0; i < written; ++i) {
      const Taken& t = taken[i];
      if (t.owner == id || !t.prefix.overlaps(*live)) continue;
      result.errors.push_back(n->where.str() + ": network " + n->name + " has the subnet " + live->str() +
                              " (taken from the address pools when it was made, and kept while it exists), which " +
                              "the " + t.what + " (" + t.prefix.str() + ") overlaps; give that network another " +
                              "subnet, or remove network " + n->name + " first");
      break;
    }
    take(*n, *live);
  }
  // 2. Else the remembered one, while nothing else has taken it.
  std::vector<Network*> fresh;
  std::map<std::string, std::string> lost;  // network -> why its remembered subnet was not kept
  for (Network* n : rest) {
    const NetworkId id{n->stack, n->name};
    const std::optional<IpPrefix> subnet = remembered_for(*n, remembered);
    if (!subnet) {
      fresh.push_back(n);
      continue;
    }
    if (const Taken* t = overlap(*subnet, id, taken)) {
      lost[n->name] = subnet->str() + ", which it had before, now overlaps " + t->what;
      fresh.push_back(n);
      continue;
    }
    take(*n, *subnet);
  }
  // 3. Else the first free subnet of the pools, networks in name order.
  for (Network* n : fresh) {
    const NetworkId id{n->stack, n->name};
    const std::optional<IpPrefix> subnet = first_free_subnet(pools, prefixes_except(id, taken));
    if (!subnet) {
      result.errors.push_back(n->where.str() + ": network " + n->name +
                              ": no free subnet left in the address pools (" + describe(pools) +
                              "): each overlaps another network or an address or route of the host; give the " +
                              "network a subnet, or other pools with --address-pools");
      continue;
    }
    take(*n, *subnet);
    auto why = lost.find(n->name);
    result.notes.push_back("network " + n->name + ": subnet " + subnet->str() + " taken from the address pools" +
                           (why == lost.end() ? "" : " (" + why->second + ")") + "; it stays while the network exists");
  }
  return result;
}

}  // namespace topo
