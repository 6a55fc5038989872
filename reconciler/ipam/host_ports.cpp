#include "reconciler/ipam/host_ports.hpp"

#include <map>
#include <optional>

#include "reconciler/resources/firewall.hpp"

namespace topo {

namespace {

using namespace firewall;

// The host address as publish intents spell it: "0.0.0.0" for every one.
std::string host_of(const PortMapping& pm) { return pm.host_ip.empty() ? "0.0.0.0" : pm.host_ip; }

std::optional<int> port_of(const std::string& text) {
  try {
    const int p = std::stoi(text);
    if (p >= 1 && p <= 65535) return p;
  } catch (...) {
  }
  return std::nullopt;
}

std::string container_port_of(const Resource& publish) {
  const std::string to = publish.attr(fattr::to);
  const auto colon = to.rfind(':');
  return colon == std::string::npos ? "" : to.substr(colon + 1);
}

// The port the kernel holds for a mapping: its publish intent, marked as
// chosen, of the same container, protocol, host address and container port.
std::optional<int> live_port(const std::vector<Resource>& owned, const Container& c, const PortMapping& pm) {
  for (const Resource& r : owned) {
    if (r.kind != Kind::Firewall || r.attr(fattr::intent) != "publish" || r.attr(fattr::chosen).empty()) continue;
    if (r.stack != c.stack || r.attr(fattr::container) != c.name || r.attr(fattr::protocol) != pm.protocol ||
        r.attr(fattr::host) != host_of(pm) || container_port_of(r) != std::to_string(pm.container_port))
      continue;
    if (auto p = port_of(r.attr(fattr::host_port))) return p;
  }
  return std::nullopt;
}

}  // namespace

std::string host_port_key(const std::string& container, const PortMapping& pm) {
  return "port:" + pm.protocol + "/" + container + "/" + (pm.host_ip.empty() ? "*" : pm.host_ip) + ":" +
         std::to_string(pm.container_port);
}

bool wants_chosen_ports(const Desired& desired) {
  for (const Container& c : desired.containers)
    for (const PortMapping& pm : c.ports)
      if (pm.host_port == 0) return true;
  return false;
}

HostPortResult assign_host_ports(const Desired& desired, const Allocations& remembered, const Observed& observed,
                                 const HostPortFacts& host, Allocations& allocations) {
  HostPortResult result;
  // (protocol, port) no chosen port may take: every port written in the
  // manifests and every one another stack publishes, whatever the address
  // (a chosen port is for every address the mapping names, kept simple).
  std::set<std::pair<std::string, int>> taken;
  for (const Container& c : desired.containers)
    for (const PortMapping& pm : c.ports)
      if (pm.host_port != 0) taken.insert({pm.protocol, pm.host_port});
  for (const Resource& r : observed.held_resources)
    if (r.kind == Kind::Firewall && r.attr(fattr::intent) == "publish")
      if (auto p = port_of(r.attr(fattr::host_port))) taken.insert({r.attr(fattr::protocol), *p});

  struct Pending {
    const Container* c;
    const PortMapping* pm;
    std::string key;
  };
  std::vector<Pending> fresh;
  std::set<std::string> done;  // a mapping written twice is one
  for (const Container& c : desired.containers)
    for (const PortMapping& pm : c.ports) {
      if (pm.host_port != 0) continue;
      const std::string key = host_port_key(c.name, pm);
      if (!done.insert(key).second) continue;
      std::vector<int> candidates;
      if (auto it = remembered.find(key); it != remembered.end() && it->second.host_port > 0)
        candidates.push_back(it->second.host_port);
      if (auto live = live_port(observed.owned, c, pm)) candidates.push_back(*live);
      bool kept = false;
      for (int p : candidates) {
        if (!taken.insert({pm.protocol, p}).second) continue;  // held by another mapping now
        allocations[key].host_port = p;
        kept = true;
        break;
      }
      if (!kept) fresh.push_back({&c, &pm, key});
    }

  // The lowest free port of the range, mappings in model order.
  for (const Pending& p : fresh) {
    bool found = false;
    for (int port = host.low; port <= host.high; ++port) {
      const std::pair<std::string, int> k{p.pm->protocol, port};
      if (taken.count(k) || host.bound.count(k)) continue;
      taken.insert(k);
      allocations[p.key].host_port = port;
      found = true;
      break;
    }
    if (!found)
      result.errors.push_back(p.pm->where.str() + ": container " + p.c->name + ": no free " + p.pm->protocol +
                              " host port left in " + std::to_string(host.low) + "-" + std::to_string(host.high) +
                              " for its port " + std::to_string(p.pm->container_port) +
                              "; give a host port, or free some");
  }
  return result;
}

}  // namespace topo
