#pragma once
// How topo marks what it owns on the kernel objects themselves, so ownership
// survives a lost state dir. The observer reports only marked objects as
// owned; everything else is foreign and never changed.
#include <string>

namespace topo::ownership {

// Link alias (IFLA_IFALIAS) of every link topo creates: prefix + origin,
// e.g. "topo:network/network01" on a bridge, "topo:attachment/web/eth0" on
// the container end of a veth.
inline constexpr const char* kAliasPrefix = "topo:";
// Alias of the host end of a veth: prefix + "<container ns>/<container ifname>",
// e.g. "topo-peer:web/eth0". It is not a resource of its own: its master and
// state are reported as attributes of the container end.
inline constexpr const char* kPeerAliasPrefix = "topo-peer:";
// Alias set on `lo` inside a namespace topo created: prefix + container name.
// A bind mount in the netns dir without it is not topo's.
inline constexpr const char* kNamespaceAliasPrefix = "topo-ns:";
// Link group (IFLA_GROUP) every link topo creates is made with. Unlike the
// alias, the kernel takes it in the create request itself, so a link whose
// create landed but whose alias did not (killed in between) is still known
// as topo's: an orphan, replaced when wanted and removed otherwise.
// 0x746f706f is "topo" in ASCII.
inline constexpr unsigned kLinkGroup = 0x746f706f;
// rtm_protocol of every route topo adds. Other routes are not topo's.
inline constexpr int kRouteProtocol = 116;
// rtm_protocol of cluster mode's host-gw routes: in the host namespace, via
// another node's underlay address, so out of a link topo does not own. Its
// own number says so: a 116 route on such a link stays someone else's. Such
// a route is written with no `dev` (the kernel picks the underlay link).
inline constexpr int kNodeRouteProtocol = 117;
// Which of the two a route topo makes carries.
inline int route_protocol(bool host_namespace, bool has_dev) {
  return host_namespace && !has_dev ? kNodeRouteProtocol : kRouteProtocol;
}
// A directory <etc-netns-dir>/<container>/ that topo made is marked by the
// file <etc-netns-dir>/.topo/<container>, which holds the directory's device
// and inode, so a directory someone else makes again under that name is not
// taken for topo's. A directory without it is not topo's: never written to,
// read as owned or removed. The mark stays outside the directory because
// `ip netns exec` bind-mounts every entry of it over /etc.
inline constexpr const char* kEtcMarksDir = ".topo";
// The files topo writes there and reads back; any other file is left alone.
inline constexpr const char* kEtcFiles[] = {"hosts", "resolv.conf"};

}  // namespace topo::ownership
