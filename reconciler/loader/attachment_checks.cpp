#include <set>

#include "reconciler/loader/defaults.hpp"
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {
namespace {

bool is_v4_broadcast(const IpPrefix& subnet, const IpAddress& a) {
  return subnet.addr.is_v4() && subnet.len < 31 && a == subnet.network().plus(subnet.size() - 1);
}

struct Seen {
  const RawAttachment* att;
  SourceLocation at;
};

std::string cite(const RawAttachment& other, const SourceLocation& at) {
  return "attachment of container " + quoted(other.a.container) + " at " + at.str();
}

void check_static_address(const RawAttachment& raw, const RawNetwork& net, const char* key,
                          const std::optional<IpAddress>& addr, int family,
                          std::map<std::pair<std::string, IpAddress>, Seen>& taken, const std::string& what,
                          Diagnostics& diag) {
  if (!addr) return;
  const SourceLocation& at = raw.where.at(key);
  if (addr->family != family) {
    diag.error(at, what + ": " + key + " " + addr->str() + " is not an IPv" + std::to_string(family) + " address");
    return;
  }
  if (net.net.subnet_from_pools) {
    // Unknown until plan, and free to differ per host: an address written
    // now could fall outside it (Docker's --ip asks for a written subnet too).
    diag.error(at, what + ": " + key + " " + addr->str() + " needs the subnet of network " + quoted(net.net.name) +
                       " written: without one, the network takes its subnet from the address pools when " +
                       "planning; write \"subnet\" on the network, or leave " + key + " out to get an address " +
                       "allocated");
    return;
  }
  const SubnetSpec* home = nullptr;
  bool has_family = false;
  for (const SubnetSpec& s : net.net.subnets) {
    if (s.subnet.addr.family != family) continue;
    has_family = true;
    if (s.subnet.contains(*addr)) home = &s;
  }
  if (!has_family) {
    diag.error(at, what + ": network " + quoted(net.net.name) + " has no IPv" + std::to_string(family) +
                       " subnet for " + key + " " + addr->str());
    return;
  }
  if (!home) {
    std::string subnets;
    for (const SubnetSpec& s : net.net.subnets)
      if (s.subnet.addr.family == family) subnets += (subnets.empty() ? "" : ", ") + s.subnet.str();
    diag.error(at, what + ": " + key + " " + addr->str() + " is outside the subnets of network " +
                       quoted(net.net.name) + " (" + subnets + ")");
    return;
  }
  if (*addr == home->subnet.network()) {
    diag.error(at, what + ": " + key + " " + addr->str() + " is the network address of " + home->subnet.str());
  } else if (is_v4_broadcast(home->subnet, *addr)) {
    diag.error(at, what + ": " + key + " " + addr->str() + " is the broadcast address of " + home->subnet.str());
  } else if (*addr == effective_gateway(*home)) {
    diag.error(at, what + ": " + key + " " + addr->str() + " is the gateway of network " + quoted(net.net.name));
  } else {
    auto [it, inserted] = taken.emplace(std::pair{net.net.name, *addr}, Seen{&raw, at});
    if (!inserted)
      diag.error(at, what + ": " + key + " " + addr->str() + " is already taken on network " +
                         quoted(net.net.name) + " by the " + cite(*it->second.att, it->second.at));
  }
}

}  // namespace

void check_attachments(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  std::map<std::pair<std::string, std::string>, Seen> by_network;    // (container, network)
  std::map<std::pair<std::string, std::string>, Seen> by_interface;  // (container, interface)
  std::map<std::pair<std::string, IpAddress>, Seen> addresses;       // (network, address)
  std::map<std::string, std::vector<const RawAttachment*>> per_container;

  for (const RawAttachment& raw : m.attachments) {
    const Attachment& a = raw.a;
    const std::string what = "attachment of " + quoted(a.container) + " to " + quoted(a.network);
    per_container[a.container].push_back(&raw);

    auto c = names.containers.find(a.container);
    if (c == names.containers.end()) {
      diag.error(raw.where.at("container"), what + ": unknown container " + quoted(a.container));
    } else if (c->second->c.network_mode != NetworkMode::Default) {
      diag.error(raw.where.object, what + ": container " + quoted(a.container) + " has network_mode " +
                                       c->second->network_mode_text + ", which takes no attachments");
    }
    auto n = names.networks.find(a.network);
    if (n == names.networks.end()) {
      diag.error(raw.where.at("network"), what + ": unknown network " + quoted(a.network));
    }

    auto [dup, fresh] = by_network.emplace(std::pair{a.container, a.network}, Seen{&raw, raw.where.object});
    if (!fresh)
      diag.error(raw.where.object, what + ": container " + quoted(a.container) + " is attached to network " +
                                       quoted(a.network) + " twice: first at " + dup->second.at.str());
    if (raw.interface_given && is_loopback_name(a.interface)) {
      // Every namespace already has its own lo: the veth end could never take
      // that name, and renaming lo would break the container.
      diag.error(raw.where.at("interface"), what + ": interface " + quoted(a.interface) +
                                                " is the container's loopback; pick another name such as eth1");
    } else if (raw.interface_given) {
      auto [prev, unique] =
          by_interface.emplace(std::pair{a.container, a.interface}, Seen{&raw, raw.where.at("interface")});
      if (!unique)
        diag.error(raw.where.at("interface"), what + ": interface " + quoted(a.interface) +
                                                  " is already used in container " + quoted(a.container) +
                                                  " at " + prev->second.at.str());
    }
    if (n != names.networks.end()) {
      const RawNetwork& net = *n->second;
      check_static_address(raw, net, "ipv4", a.ipv4, 4, addresses, what, diag);
      check_static_address(raw, net, "ipv6", a.ipv6, 6, addresses, what, diag);
      if (raw.default_route_given && a.default_route && net.net.internal)
        diag.error(raw.where.at("default_route"),
                   what + ": network " + quoted(a.network) + " is internal and cannot carry the default route");
    }
  }

  for (const auto& [container, atts] : per_container) {
    if (atts.size() > 1) {
      for (const RawAttachment* raw : atts) {
        if (!raw->interface_given)
          diag.error(raw->where.object, "attachment of " + quoted(container) + " to " + quoted(raw->a.network) +
                                            ": container " + quoted(container) + " has " +
                                            std::to_string(atts.size()) +
                                            " attachments, so each needs \"interface\"");
      }
    }
    const RawAttachment* marked = nullptr;
    for (const RawAttachment* raw : atts) {
      if (!(raw->default_route_given && raw->a.default_route)) continue;
      if (marked)
        diag.error(raw->where.at("default_route"),
                   "attachment of " + quoted(container) + " to " + quoted(raw->a.network) +
                       ": only one attachment per container may have default_route: true; already set at " +
                       marked->where.at("default_route").str());
      else
        marked = raw;
    }
  }

  // Published ports are reached through an address on a network with a way
  // out, translated on the host to its bridge (macvlan, ipvlan and p2p
  // networks have none: the firewall would publish nothing).
  for (const RawContainer& c : m.containers) {
    if (c.c.ports.empty() || c.c.network_mode != NetworkMode::Default) continue;
    bool reachable = false, bridged = false;
    auto it = per_container.find(c.c.name);
    if (it != per_container.end()) {
      for (const RawAttachment* raw : it->second) {
        auto n = names.networks.find(raw->a.network);
        if (n == names.networks.end() || n->second->net.internal) continue;
        reachable = true;
        bridged |= !n->second->net.driver_settings().host_bridge().empty();
      }
    }
    if (!reachable)
      diag.error(c.where.at("ports"), "container " + quoted(c.c.name) +
                                          ": publishes ports but is attached to no network that is not internal");
    else if (!bridged)
      diag.error(c.where.at("ports"), "container " + quoted(c.c.name) +
                                          ": publishes ports but is attached to no bridge or overlay network; "
                                          "macvlan, ipvlan and p2p networks have no host side to publish them on");
  }
}

}  // namespace topo::loader
