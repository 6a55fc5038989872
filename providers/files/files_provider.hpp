#pragma once
// Per-container files under /etc/netns/<container>/, which `ip netns exec`
// bind-mounts over /etc: `hosts` (who the container can reach by name) and
// `resolv.conf` (its DNS servers). Pure: the content comes from the whole
// Desired model and the allocations (never from a node's slice, so members on
// other hosts of an overlay are included), and the host's resolv.conf text is
// passed in by the caller.
#include <string>
#include <vector>

#include "providers/provider.hpp"

namespace topo {

// File resources: ns = container, name = one of these (the observer reads
// back the same names: ownership::kEtcFiles); attrs: content (the whole text).
inline constexpr const char* kHostsFile = "hosts";
inline constexpr const char* kResolvConfFile = "resolv.conf";

// Whether topo writes files for this container: every one that has an entry
// in the netns dir for `ip netns exec <name>` (own, adopted, or a joiner's
// shared one), except host mode, which uses the host's /etc.
bool gets_files(const Container& c);

// localhost lines; the container itself (hostname, name and its aliases, at
// each of its addresses); extra_hosts; links (one-way, under their alias);
// every other member of each network it is attached to (name and aliases, at
// the member's address on that network).
std::string render_hosts(const Container& c, const RenderContext& ctx);

// dns/dns_search when given, the rest (and whatever they leave unset) from
// the host's resolv.conf. Loopback nameservers of the host are left out: the
// host's loopback is not reachable from inside another namespace.
std::string render_resolv_conf(const Container& c, const std::string& host_resolv_conf);

// Both files of a container, when it gets files; a container:<name> joiner
// gets its target's content.
void render_container_files(const Container& c, const RenderContext& ctx, std::vector<Resource>& out);

}  // namespace topo
