#pragma once
// Attribute keys of the network modes and sub-interface drivers (issue 3),
// kept apart from resource.hpp so they can grow without touching it.
#include <string>

namespace topo::attr {

// Namespace: what the netns-dir entry is. Absent: a namespace topo created
// and owns (marked by lo's alias). Otherwise the entry is a bind mount that
// topo owns, of a namespace it does not:
//   "host"               the namespace topo itself runs in
//   "container:<name>"   the entry of another container (chains resolved)
//   "adopted:<path>"     an existing namespace, e.g. /proc/1234/ns/net
// The observer reports "<mode>!stale" when the entry no longer is a bind of
// that namespace, so the diff replaces it.
inline constexpr const char* mode = "mode";
// Link macvlan/ipvlan: the host interface the sub-interface hangs off.
inline constexpr const char* parent = "parent";
// Link macvlan: bridge | private | vepa | passthru; ipvlan: l2 | l3 | l3s.
inline constexpr const char* link_mode = "link_mode";
// Link vlan (an 802.1q trunk in the host namespace): the VLAN id, decimal;
// its base interface is `parent`.
inline constexpr const char* vlan_id = "vlan_id";

}  // namespace topo::attr

namespace topo::ns_mode {

inline constexpr const char* host = "host";
inline constexpr const char* container_prefix = "container:";
inline constexpr const char* adopted_prefix = "adopted:";
inline constexpr const char* stale_suffix = "!stale";

inline bool is_joiner(const std::string& mode) { return mode.rfind(container_prefix, 0) == 0; }
inline bool is_adopted(const std::string& mode) { return mode.rfind(adopted_prefix, 0) == 0; }

}  // namespace topo::ns_mode
