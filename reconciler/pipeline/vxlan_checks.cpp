#include "reconciler/pipeline/vxlan_checks.hpp"

#include "reconciler/model/ip.hpp"

namespace topo {
namespace {

bool is_vxlan(const Resource& r) { return r.kind == Kind::Link && r.ns.empty() && r.attr(attr::type) == "vxlan"; }

// A VXLAN device's address family is its local address's; without one it
// is IPv4 (topo sets no remote or group that could make it IPv6).
int family_of(const std::string& local) {
  const auto a = IpAddress::parse(local);
  return a ? a->family : 4;
}

unsigned number(const std::string& text) {
  try {
    return static_cast<unsigned>(std::stoul(text));
  } catch (...) {
    return 0;
  }
}

// Whether a VXLAN device that is up holds the kernel's socket for this port
// and family: then the socket listed on the port is that one, and no process
// could have bound the port besides it.
bool kernel_holds_port(const Observed& observed, unsigned port, int family) {
  for (const auto* set : {&observed.owned, &observed.held_resources})
    for (const Resource& r : *set)
      if (is_vxlan(r) && r.attr(attr::state) == "up" && number(r.attr(attr::port)) == port &&
          family_of(r.attr(attr::local)) == family)
        return true;
  for (const auto& v : observed.foreign_vxlans)
    if (v.up && v.port == port && family_of(v.local) == family) return true;
  return false;
}

std::string subject(const Resource& r) { return "link " + r.name + " (for " + r.origin + ")"; }

}  // namespace

bool wants_vxlan(const std::vector<Resource>& desired) {
  for (const Resource& r : desired)
    if (is_vxlan(r)) return true;
  return false;
}

VxlanCheck check_vxlans(const std::vector<Resource>& desired, const Observed& observed,
                        const std::vector<UdpSocket>& sockets) {
  VxlanCheck out;
  for (const Resource& d : desired) {
    if (!is_vxlan(d)) continue;
    const unsigned vni = number(d.attr(attr::vni)), port = number(d.attr(attr::port));
    const int family = family_of(d.attr(attr::local));
    const std::string ids = "VNI " + std::to_string(vni) + " on UDP port " + std::to_string(port);

    for (const auto& v : observed.foreign_vxlans) {
      // One of the same name is a name conflict, reported by the diff.
      if (v.name == d.name || v.vni != vni || v.port != port || family_of(v.local) != family) continue;
      out.conflicts.push_back(subject(d) + ": the VXLAN device " + v.name + ", which topo does not own, already has " +
                              ids + "; the kernel takes one device per VNI and port: remove " + v.name +
                              ", or give the network another vni or port");
    }
    for (const Resource& h : observed.held_resources) {
      if (!is_vxlan(h) || h.name == d.name || number(h.attr(attr::vni)) != vni ||
          number(h.attr(attr::port)) != port || family_of(h.attr(attr::local)) != family)
        continue;
      out.conflicts.push_back(subject(d) + ": " + ids + " is already used by " + h.name + " of " + h.origin +
                              " in stack " + h.stack + "; give one of the networks another vni or port");
    }

    if (kernel_holds_port(observed, port, family)) continue;
    for (const UdpSocket& s : sockets) {
      if (s.port != port) continue;
      const std::string where = (s.family == 6 ? "[" + s.local + "]" : s.local) + ":" + std::to_string(port);
      const std::string who = "a socket that is not a VXLAN device (" + where + ", uid " + std::to_string(s.uid) +
                              ", inode " + std::to_string(s.inode) + "; `ss -ulpn 'sport = :" +
                              std::to_string(port) + "'` names its process)";
      if (s.family == family) {
        out.conflicts.push_back(subject(d) + ": UDP port " + std::to_string(port) + " is already bound by " + who +
                                ", so the VXLAN device could not come up (\"Address already in use\"); stop it, or "
                                "give the network another port");
      } else if (s.family == 6 && s.local == "::") {
        // An IPv6 socket on every address takes the IPv4 port too unless it
        // is IPv6-only, which /proc does not say.
        out.notes.push_back(subject(d) + ": UDP port " + std::to_string(port) + " is bound by " + who +
                            "; unless that socket is IPv6-only it holds the IPv4 port too, and the VXLAN device "
                            "will fail to come up (\"Address already in use\")");
      }
    }
  }
  return out;
}

}  // namespace topo
