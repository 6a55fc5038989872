#include "reconciler/view/container_view.hpp"

#include <algorithm>

#include "providers/container/container_extras.hpp"
#include "providers/files/files_provider.hpp"
#include "reconciler/ipam/host_ports.hpp"

namespace topo::view {

std::string mode_name(NetworkMode mode) {
  switch (mode) {
    case NetworkMode::Default:
      return "default";
    case NetworkMode::Host:
      return "host";
    case NetworkMode::None:
      return "none";
    case NetworkMode::Container:
      return "container";
  }
  return "default";
}

namespace {

// The path a process enters the container's namespace by.
std::string netns_path(const Container& c, const Desired& desired, const std::string& netns_dir) {
  if (c.network_mode == NetworkMode::Host) return "";  // the host's own
  if (c.network_mode == NetworkMode::Container) {
    const Container* target = desired.whole().container(c.mode_target);
    return target ? netns_path(*target, desired, netns_dir) : "";
  }
  if (!c.netns.empty()) return c.netns;
  return netns_dir + "/" + c.name;
}

RouteView route_view(const Resource& r) {
  RouteView v;
  // The providers name a default route per family (default, default6).
  v.destination = r.name == "default" || r.name == "default6" ? "default" : r.name;
  v.via = r.attr(attr::via);
  v.interface = r.attr(attr::dev);
  return v;
}

// The routes the providers give the container: each attachment's (the
// default route, a routed overlay's shares) through its driver, then the
// manifest's `routes`. Taken from what they render, so the view never
// decides a gateway differently from them.
std::vector<RouteView> routes_of(const Container& c, const RenderContext& ctx) {
  const Desired& desired = ctx.desired;
  std::vector<Resource> rendered;
  for (const Attachment& att : desired.whole().attachments) {
    if (att.container != c.name) continue;
    const Network* net = network_named(desired, att.network);
    const Provider* provider = net ? provider_for(net->driver) : nullptr;
    if (provider) provider->render_attachment(att, *net, ctx, rendered);
  }
  render_container_extras(c, rendered);
  std::vector<RouteView> out;
  for (const Resource& r : rendered)
    if (r.kind == Kind::Route && r.ns == c.name) out.push_back(route_view(r));
  return out;
}

std::vector<PortView> ports_of(const Container& c, const MemberAllocations& allocations) {
  std::vector<PortView> out;
  for (const PortMapping& pm : c.ports) {
    PortView p;
    p.protocol = pm.protocol;
    p.host_ip = pm.host_ip;
    p.container_port = pm.container_port;
    p.host_port = pm.host_port;
    if (pm.host_port == 0) {
      p.host_port_chosen = true;
      auto it = allocations.all().find(host_port_key(c.name, pm));
      if (it != allocations.all().end()) p.host_port = it->second.host_port;
    }
    out.push_back(p);
  }
  return out;
}

// The address lines of a hosts file, each with the part it is in.
class HostsEntries : public HostsSink {
 public:
  void part(const std::string& heading) override { part_ = heading; }
  void line(const HostsLine& l) override { entries.push_back({l.address, l.names, part_}); }
  void block(const HostsBlock& b) override {
    for (const HostsLine& l : b.lines) line(l);
  }
  void note(const std::string&) override {}

  std::vector<HostsEntry> entries;

 private:
  std::string part_;
};

}  // namespace

ContainerView container_view_of(const Container& c, const RenderContext& ctx, const MemberAllocations& allocations,
                                const std::string& netns_dir) {
  const Desired& desired = ctx.desired;
  ContainerView v;
  v.name = c.name;
  v.stack = c.stack;
  v.mode = mode_name(c.network_mode);
  v.mode_target = c.mode_target;
  v.netns = netns_path(c, desired, netns_dir);
  v.adopted = c.network_mode != NetworkMode::Container && !c.netns.empty();
  v.node = c.node;
  v.hostname = c.hostname;
  for (const Attachment& att : desired.whole().attachments)
    if (att.container == c.name)
      v.interfaces.push_back(member_of(att, network_named(desired, att.network), &c, allocations));
  std::sort(v.interfaces.begin(), v.interfaces.end(),
            [](const MemberView& a, const MemberView& b) { return a.interface < b.interface; });
  v.routes = routes_of(c, ctx);
  v.ports = ports_of(c, allocations);
  for (const ContainerLink& link : c.links) v.links.emplace_back(link.target, link.alias);
  // What its files say: a container:<name> joiner has its target's.
  const Container& source = files_source(c, desired);
  v.dns = source.dns;
  v.dns_search = source.dns_search;
  if (gets_files(c) && source.network_mode != NetworkMode::Host) {
    HostsEntries hosts;
    walk_hosts(source, ctx, hosts);
    v.hosts = std::move(hosts.entries);
  }
  return v;
}

}  // namespace topo::view
