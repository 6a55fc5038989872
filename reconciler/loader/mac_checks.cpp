// MAC addresses of attachments: usable (unicast, not all-zero) and unique on
// their L2 segment. Two interfaces with one MAC on a segment cannot both be
// reached (the bridge or switch learns one port for it), and the kernel
// refuses a second macvlan with one MAC on a parent only when the link goes
// up, mid-apply. Two things share a segment: the attachments of one network
// (a bridge, an overlay, or the LAN of a macvlan network, on every node), and
// the macvlan attachments on one parent interface of one node, whatever their
// network or stack. A MAC topo derives from a static
// IPv4 address (ipam.hpp derive_mac) is known here too, so a static `mac`
// equal to it is caught as well.
#include <cctype>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {
namespace {

bool is_multicast_mac(const std::string& mac) {
  return mac.size() >= 2 && (std::stoi(mac.substr(0, 2), nullptr, 16) & 1);
}

// The kernel takes 00:00:00:00:00:00 from netlink as "no address" on some
// drivers and as a real one on others; either way no peer can reach it.
bool is_zero_mac(const std::string& mac) { return mac.find_first_not_of("0:") == std::string::npos; }

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The L2 segments an attachment's interface sits on, as keys and in words:
// its network (a bridge or overlay, or the LAN a macvlan network is), and
// for macvlan also its node's parent interface, shared by every macvlan
// network on it. None when the network is missing (reported elsewhere).
struct Segment {
  std::string key, words;
};

std::vector<Segment> segments_of(const RawAttachment& raw, const NameIndex& names) {
  auto n = names.networks.find(raw.a.network);
  if (n == names.networks.end()) return {};
  const Network& net = n->second->net;
  std::vector<Segment> out{{"network " + net.name, "network " + quoted(net.name)}};
  if (const std::string parent = net.driver_settings().mac_parent(); !parent.empty()) {
    auto c = names.containers.find(raw.a.container);
    const std::string node = c == names.containers.end() ? "" : c->second->c.node;
    out.push_back({"parent " + node + "/" + parent,
                   "parent interface " + quoted(parent) + (node.empty() ? "" : " of node " + quoted(node)) + " (" +
                       to_string(net.driver) + " network " + quoted(net.name) + ")"});
  }
  return out;
}

std::string cite(const RawAttachment& raw, const SourceLocation& at) {
  return "the attachment of container " + quoted(raw.a.container) + " to " + quoted(raw.a.network) + " at " +
         at.str();
}

struct StaticMac {
  const RawAttachment* att;
  std::string written;
};

}  // namespace

void check_macs(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  std::map<std::pair<std::string, std::string>, StaticMac> taken;  // (segment key, mac) -> first static
  for (const RawAttachment& raw : m.attachments) {
    const Attachment& a = raw.a;
    if (a.mac.empty()) continue;
    const std::string what = "attachment of " + quoted(a.container) + " to " + quoted(a.network);
    const SourceLocation& at = raw.where.at("mac");
    if (is_multicast_mac(a.mac)) {
      diag.error(at, what + ": mac " + a.mac + " is a multicast address (first byte is odd); use a unicast one " +
                         "such as 02:42:ac:11:00:02");
      continue;
    }
    if (is_zero_mac(a.mac)) {
      diag.error(at, what + ": mac " + a.mac + " is the all-zero address, which no interface can use");
      continue;
    }
    for (const Segment& seg : segments_of(raw, names)) {
      auto [prev, unique] = taken.emplace(std::pair{seg.key, lower(a.mac)}, StaticMac{&raw, a.mac});
      if (unique) continue;
      diag.error(at, what + ": mac " + a.mac + " is already used on " + seg.words + " by " +
                         cite(*prev->second.att, prev->second.att->where.at("mac")) +
                         "; every interface on one L2 segment needs a MAC of its own");
      break;  // one error per attachment
    }
  }
  if (taken.empty()) return;
  // Attachments without `mac` get one derived from their IPv4 address; with
  // a static ipv4, it is known now.
  for (const RawAttachment& raw : m.attachments) {
    const Attachment& a = raw.a;
    if (!a.mac.empty() || !a.ipv4 || !a.ipv4->is_v4()) continue;
    Allocation alloc;
    alloc.ipv4 = a.ipv4;
    const std::string derived = derive_mac(alloc, "");
    for (const Segment& seg : segments_of(raw, names)) {
      auto it = taken.find({seg.key, derived});
      if (it == taken.end()) continue;
      const RawAttachment& holder = *it->second.att;
      diag.error(holder.where.at("mac"),
                 "attachment of " + quoted(holder.a.container) + " to " + quoted(holder.a.network) + ": mac " +
                     it->second.written + " is the MAC topo derives for " + cite(raw, raw.where.at("ipv4")) +
                     " from its ipv4 " + a.ipv4->str() + " (02:42: and the address's four bytes), on " +
                     seg.words + "; choose another mac, or give that attachment a mac of its own");
      break;
    }
  }
}

}  // namespace topo::loader
