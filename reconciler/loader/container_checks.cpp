#include <algorithm>
#include <set>

#include "reconciler/loader/semantic_checks.hpp"
#include "reconciler/loader/value_parsers.hpp"

namespace topo::loader {
namespace {

// Keys that make no sense (or would touch the host itself) for a network mode.
void check_mode_keys(const RawContainer& raw, const std::string& what, Diagnostics& diag) {
  const Container& c = raw.c;
  std::vector<const char*> forbidden;
  switch (c.network_mode) {
    case NetworkMode::Default:
      break;
    case NetworkMode::Host:
      // sysctls/routes would change the machine's own network.
      forbidden = {"ports", "dns", "dns_search", "netns", "sysctls", "routes"};
      break;
    case NetworkMode::None:
      forbidden = {"ports"};
      break;
    case NetworkMode::Container:
      forbidden = {"ports", "dns", "dns_search", "netns", "sysctls", "routes"};
      break;
  }
  for (const char* key : forbidden) {
    if (!raw.where.has(key)) continue;
    std::string hint;
    if (c.network_mode == NetworkMode::Container) hint = "; set it on " + quoted(c.mode_target) + " instead";
    diag.error(raw.where.at(key), what + ": \"" + key + "\" is not allowed with network_mode " +
                                      raw.network_mode_text + hint);
  }
}

void check_mode_target(const RawContainer& raw, const std::string& what, const NameIndex& names,
                       Diagnostics& diag) {
  const Container& c = raw.c;
  if (c.network_mode != NetworkMode::Container) return;
  const SourceLocation& at = raw.where.at("network_mode");
  if (c.mode_target == c.name) {
    diag.error(at, what + ": network_mode cannot name the container itself");
    return;
  }
  auto target = names.containers.find(c.mode_target);
  if (target == names.containers.end()) {
    diag.error(at, what + ": network_mode names unknown container " + quoted(c.mode_target));
    return;
  }
  // Follow the chain; coming back to this container is a cycle. Reported once,
  // at the container whose name sorts first, so a cycle of n gives one error.
  std::vector<std::string> chain{c.name};
  std::set<std::string> visited{c.name};
  const RawContainer* cur = target->second;
  while (cur && cur->c.network_mode == NetworkMode::Container) {
    chain.push_back(cur->c.name);
    if (cur->c.mode_target == c.name) {
      if (*std::min_element(chain.begin(), chain.end()) == c.name) {
        std::string cycle;
        for (const std::string& n : chain) cycle += n + " -> ";
        diag.error(at, what + ": network_mode forms a cycle: " + cycle + c.name);
      }
      return;
    }
    if (!visited.insert(cur->c.name).second) return;  // a cycle not through us; reported by its members
    auto next = names.containers.find(cur->c.mode_target);
    cur = next == names.containers.end() ? nullptr : next->second;
  }
  if (!c.node.empty() && !target->second->c.node.empty() && c.node != target->second->c.node) {
    diag.error(at, what + ": joins " + quoted(c.mode_target) + " on node " + quoted(target->second->c.node) +
                       " but is placed on node " + quoted(c.node));
  }
}

void check_node(const RawContainer& raw, const std::string& what, const NameIndex& names, bool cluster,
                Diagnostics& diag) {
  const Container& c = raw.c;
  if (cluster) {
    // Any node that registers in etcd; which ones are up is known only then.
    if (c.node.empty()) diag.error(raw.where.object, what + ": needs \"node\" in cluster mode (--etcd)");
    return;
  }
  if (names.hosts.empty()) {
    if (!c.node.empty())
      diag.error(raw.where.at("node"), what + ": node " + quoted(c.node) + " is not declared (no hosts given)");
    return;
  }
  if (c.node.empty()) {
    diag.error(raw.where.object, what + ": needs \"node\" because hosts are declared");
  } else if (!names.hosts.count(c.node)) {
    diag.error(raw.where.at("node"), what + ": node " + quoted(c.node) + " is not one of the declared hosts");
  }
}

// What is wrong with a sysctl key, "" when nothing. The same rule as the
// writer (kernel/sysctl_ops.cpp), so a key is refused here, not mid-apply:
// only the per-namespace net tree, one plain name per '.'-separated part,
// a '/' standing for a '.' inside a name (net.ipv4.conf.br/1.rp_filter), and
// nothing that could climb out of /proc/sys/net.
std::string sysctl_key_problem(const std::string& key) {
  if (key.rfind("net.", 0) != 0) return "is not a network sysctl (keys must start with \"net.\")";
  if (key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./") != std::string::npos)
    return "has characters other than letters, digits, '_', '-', '.' and '/'";
  if (key.find("/..") != std::string::npos || key.find("../") != std::string::npos ||
      key.find("//") != std::string::npos)
    return "contains a path step (\"/..\", \"../\" or \"//\")";
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t dot = key.find('.', start);
    if (dot == std::string::npos) dot = key.size();
    std::string part = key.substr(start, dot - start);
    if (part.empty()) return "has an empty part (\"..\" or a leading or trailing '.')";
    if (part.front() == '/' || part.back() == '/') return "has a part that starts or ends with '/'";
    start = dot + 1;
  }
  return "";
}

void check_values(const RawContainer& raw, const std::string& what, const NameIndex& names, Diagnostics& diag) {
  const Container& c = raw.c;
  for (std::size_t i = 0; i < raw.links_written.size(); ++i) {
    const SourceLocation& at = raw.where.at("links." + std::to_string(i));
    Parsed<ContainerLink> link = parse_link(raw.links_written[i]);
    if (!link.value) {
      diag.error(at, what + ": link " + quoted(raw.links_written[i]) + ": " + link.error);
    } else if (link.value->target == c.name) {
      diag.error(at, what + ": links to itself");
    } else if (!names.containers.count(link.value->target)) {
      diag.error(at, what + ": link to unknown container " + quoted(link.value->target));
    }
  }
  // A hosts line for "any address" or the broadcast address parses, but a
  // connection to the name then goes nowhere (or to the container itself):
  // refused rather than written.
  for (std::size_t i = 0; i < raw.extra_hosts_written.size(); ++i) {
    const Parsed<ExtraHost> h = parse_extra_host(raw.extra_hosts_written[i]);
    if (!h.value) continue;  // reported by the reader
    const std::string problem = h.value->ip.is_unspecified()       ? "the unspecified address (\"any\")"
                                : h.value->ip.is_limited_broadcast() ? "the broadcast address"
                                                                     : "";
    if (problem.empty()) continue;
    diag.error(raw.where.at("extra_hosts." + std::to_string(i)),
               what + ": extra_hosts " + quoted(raw.extra_hosts_written[i]) + ": " + h.value->ip.str() + " is " + problem +
                   ", which no host can be reached at; give the address of the host " + quoted(h.value->name) +
                   " is at");
  }
  for (const auto& [key, value] : c.sysctls) {
    if (const std::string problem = sysctl_key_problem(key); !problem.empty())
      diag.error(raw.where.at("sysctls." + key), what + ": sysctl " + quoted(key) + " " + problem);
  }
  for (std::size_t i = 0; i < c.routes.size(); ++i) {
    const StaticRoute& r = c.routes[i];
    const std::string key = "routes." + std::to_string(i);
    if (!r.dst.is_network())
      diag.error(raw.where.at(key + ".dst"), what + ": route dst " + r.dst.str() + " has host bits set; did you mean " +
                                                 r.dst.network_str() + "?");
    if (r.via.family != r.dst.addr.family)
      diag.error(raw.where.at(key + ".via"), what + ": route via " + r.via.str() + " is not of the same family as " +
                                                 r.dst.str());
  }
}

// Published ports that a connection could be meant for both of: the same
// protocol and host port on host addresses that overlap (the same address,
// or either on every address: written 0.0.0.0 or left out; every address
// includes 127.0.0.1, so "8080:80" and "127.0.0.1:8080:80" overlap, and so
// do they for Docker, whose port allocator refuses that pair for two
// containers). Such a pair clashes when its two ports lead to different
// places: two containers, or two ports of one container. The same container
// port of the same container again is redundant, not a clash: accepted, and
// published once. Other specific addresses, or tcp beside udp, never clash.
// A host port left out ("80") is chosen later, away from all of these.
bool host_addresses_overlap(const std::string& a, const std::string& b) {
  const auto pa = IpAddress::parse(a.empty() ? "0.0.0.0" : a);
  const auto pb = IpAddress::parse(b.empty() ? "0.0.0.0" : b);
  if (!pa || !pb) return a == b;
  return pa->is_unspecified() || pb->is_unspecified() || *pa == *pb;
}

void check_published_ports(const RawModel& m, Diagnostics& diag) {
  struct Taken {
    const RawContainer* owner;
    const PortMapping* pm;
  };
  std::map<std::pair<std::string, int>, std::vector<Taken>> by_port;
  for (const RawContainer& raw : m.containers) {
    for (const PortMapping& pm : raw.c.ports) {
      // Said plainly rather than accepted and left without effect: the
      // firewall publishes on IPv4 host addresses only.
      if (auto host = IpAddress::parse(pm.host_ip); host && !host->is_v4()) {
        diag.error(pm.where, "container " + quoted(raw.c.name) + ": publishing on an IPv6 host address (" +
                                 pm.host_ip + ") is not supported yet; leave host_ip out or give an IPv4 one");
        continue;
      }
      if (pm.host_port == 0) continue;  // chosen later, clear of every other
      auto& taken = by_port[{pm.protocol, pm.host_port}];
      for (const Taken& t : taken) {
        if (!host_addresses_overlap(t.pm->host_ip, pm.host_ip)) continue;
        const bool same_container = t.owner == &raw;
        if (same_container && t.pm->container_port == pm.container_port) continue;  // redundant
        const std::string addr = pm.host_ip.empty() ? "" : pm.host_ip + ":";
        const std::string other_addr = t.pm->host_ip.empty() ? "every host address" : t.pm->host_ip;
        const std::string who = same_container ? "this container (to its port " +
                                                     std::to_string(t.pm->container_port) + ")"
                                               : "container " + quoted(t.owner->c.name);
        diag.error(pm.where, "container " + quoted(raw.c.name) + ": host port " + addr +
                                 std::to_string(pm.host_port) + "/" + pm.protocol + " is already published by " +
                                 who + " at " + t.pm->where.str() + " (on " + other_addr +
                                 "); a host port on overlapping addresses leads to one place only");
        break;
      }
      taken.push_back({&raw, &pm});
    }
  }
}

}  // namespace

void check_containers(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  for (const RawContainer& raw : m.containers) {
    const std::string what = "container " + quoted(raw.c.name);
    check_mode_keys(raw, what, diag);
    check_mode_target(raw, what, names, diag);
    check_node(raw, what, names, m.cluster, diag);
    check_values(raw, what, names, diag);
  }
  check_published_ports(m, diag);
}

}  // namespace topo::loader
