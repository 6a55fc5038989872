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

// One address line of a hosts file: the address as text and its names,
// duplicates dropped, order kept.
struct HostsLine {
  std::string address;
  std::vector<std::string> names;
};

// A member's lines on a network, with their text made once: they go into
// the hosts file of every other member (N² lines at N members).
struct HostsBlock {
  std::vector<HostsLine> lines;
  std::string text;
};

// What a container's hosts file says after its header and localhost block,
// in file order, handed to a sink: parts, each under a heading ("this
// container", "extra_hosts", "links", "network NAME"), holding address lines
// and notes (comment lines, e.g. a link with no address). render_hosts
// writes them as text; `topo inspect` lists the lines (view/topology_view).
class HostsSink {
 public:
  virtual ~HostsSink() = default;
  virtual void part(const std::string& heading) = 0;
  virtual void line(const HostsLine& line) = 0;
  virtual void block(const HostsBlock& block) = 0;
  virtual void note(const std::string& text) = 0;
};

// The container itself (hostname, name and its aliases, at each of its
// addresses); extra_hosts; links (one-way, under their alias); every other
// member of each network it is attached to (name and aliases, then each as
// NAME.NETWORK, at the member's address on that network).
void walk_hosts(const Container& c, const RenderContext& ctx, HostsSink& sink);

// localhost lines, then walk_hosts as text.
std::string render_hosts(const Container& c, const RenderContext& ctx);

// The container whose files `c` gets: itself, or for a container:<name>
// joiner the container holding the namespace it shares (chains followed).
const Container& files_source(const Container& c, const Desired& desired);

// dns/dns_search when given, the rest (and whatever they leave unset) from
// the host's resolv.conf. Loopback nameservers of the host are left out: the
// host's loopback is not reachable from inside another namespace.
std::string render_resolv_conf(const Container& c, const std::string& host_resolv_conf);

// Both files of a container, when it gets files; a container:<name> joiner
// gets its target's content.
void render_container_files(const Container& c, const RenderContext& ctx, std::vector<Resource>& out);

}  // namespace topo
