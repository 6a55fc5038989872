#pragma once
// Link kinds as modules: one entry per value of a Link resource's `type`
// attribute, each in a file named after the kind, gathered in table.cpp.
// Shaped like systemd-networkd's NetDevVTable: the hooks say what is
// particular to a kind, and the code that runs them (link_create.cpp, the
// netlink Kernel, the observer) is written once. A hook left null means the
// kind has nothing of its own there (entries name only the hooks they have).
//
// What forces a replacement is not here: providers say it per resource
// (Resource::replace_on), as they render it, and the core cannot see this table.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/observer/snapshot.hpp"
#include "reconciler/resources/resource.hpp"

// Only named here (linux/netlink.h): the hooks that read attributes are
// defined with the kinds.
struct nlattr;

namespace topo {
class SocketPool;
}

namespace topo::kops {

struct CreateRequest;  // link_create.hpp

// What a kind reads of a dumped link (an RTM_NEWLINK reply, parsed by
// kernel/read/link_records.cpp without libnl's objects).
struct LinkAttrs {
  int link = 0;                        // IFLA_LINK; 0 when absent
  const nlattr* info_data = nullptr;   // IFLA_LINKINFO's IFLA_INFO_DATA nest; null when absent
  // The attribute of `type` inside info_data; null when absent.
  const nlattr* data(int type) const;
  // Its payload as a number; nothing when absent or too short to hold one.
  std::optional<uint8_t> u8(int type) const;
  std::optional<uint16_t> u16(int type) const;
  std::optional<uint32_t> u32(int type) const;
};

// Problems found before anything changes, one line each; a missing kernel
// module or parent is told once however many links need it.
struct Preflight {
  std::vector<std::string> problems;
  // Links the desired state makes in the host namespace: a parent among
  // them (an 802.1q trunk) need not exist yet.
  std::set<std::string> made_on_host{};
  std::map<std::string, int> reported;
  bool first(const std::string& what) { return !reported[what]++; }
};

struct LinkKind {
  const char* type = nullptr;  // rtnl_link_get_type() and the resource's attr::type

  // Create: the request for `desired` (type, name, kind attributes, the
  // common ones via fill_link_changes); the protocol adds topo's group.
  CreateRequest (*fill)(SocketPool& s, const Resource& desired, const std::string& key) = nullptr;
  // Made from another namespace straight into the container's, the link
  // cannot be up in its create request (a veth end: ENOTCONN), so it is
  // brought up with its mark.
  bool up_with_mark = false;
  // Links made in pairs (veth): the other end (in the host namespace unless
  // peer_ns says otherwise) and its mark. It is marked in the same round
  // trip as the link, and must carry the mark for an existing pair to count
  // as ours on EEXIST.
  std::string (*peer_name)(const Resource& desired) = nullptr;
  std::string (*peer_alias)(const Resource& desired) = nullptr;
  // The namespace of that end when it is not the host's (a p2p pair's far
  // end, in the other container); null or "": the host namespace.
  std::string (*peer_ns)(const Resource& desired) = nullptr;
  // When the other end is made down and comes up with its mark (after
  // before_up), rather than up in the create request.
  bool (*peer_up_with_mark)(const Resource& desired) = nullptr;
  // Between the create and the marks: what must hold before the link (or
  // its other end) first comes up.
  void (*before_up)(SocketPool& s, const Resource& desired) = nullptr;
  // The refusal when the name is taken by a link that is not this one.
  std::string (*clash)(const Resource& desired) = nullptr;

  // In place: what differs from `current` (null: unknown, converge all).
  void (*update)(SocketPool& s, const Resource* current, const Resource& desired, const std::string& op) = nullptr;

  // Before any change: what the kernel or host must have for this link.
  void (*preflight)(SocketPool& s, const Resource& desired, Preflight& out) = nullptr;

  // Observe: the kind's own attributes of a dumped link, spelled as its
  // Link resource spells them (LinkRecord::attrs), and IFLA_LINK when the
  // kind has one. The pure decoder (observer/decode.cpp) copies them onto the
  // observed resource, so the kind needs nothing there.
  void (*extract)(const LinkAttrs& link, observer::LinkRecord& out) = nullptr;
};

// The entry for a type string; null for kinds topo does not make (lo,
// physical devices, another tool's dummy).
const LinkKind* find_link_kind(const std::string& type);

// The entries, one file each.
extern const LinkKind bridge_kind;
extern const LinkKind veth_kind;
extern const LinkKind vxlan_kind;
extern const LinkKind macvlan_kind;
extern const LinkKind ipvlan_kind;
extern const LinkKind vlan_kind;

}  // namespace topo::kops
