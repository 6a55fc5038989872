#include "providers/overlay/overlay_members.hpp"

#include <cctype>

#include "providers/overlay/overlay_settings.hpp"

namespace topo {

Allocation static_allocation(const Attachment& att) {
  Allocation a;
  a.ipv4 = att.ipv4;
  a.ipv6 = att.ipv6;
  // The same rule as IPAM's, so the node that owns the container agrees.
  a.mac = att.mac.empty() ? derive_mac(a, attachment_key(att)) : att.mac;
  for (auto& c : a.mac) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return a;
}

Allocations with_remote_members(const Desired& slice, const Allocations& local) {
  Allocations out = local;
  if (slice.node.empty()) return out;
  const Desired& whole = slice.whole();
  for (const auto& net : slice.networks) {
    if (!net.settings_as<OverlaySettings>()) continue;
    for (const auto& att : whole.attachments) {
      if (att.network != net.name) continue;
      const Container* c = whole.container(att.container);
      if (!c || c->node == slice.node) continue;
      // Cluster mode: a member whose node has not taken its address yet.
      if (!att.ipv4 && !att.ipv6) continue;
      out.emplace(attachment_key(att), static_allocation(att));
    }
  }
  return out;
}

}  // namespace topo
