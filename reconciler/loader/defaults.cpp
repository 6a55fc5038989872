#include "reconciler/loader/defaults.hpp"

#include <algorithm>
#include <map>

#include "reconciler/loader/value_parsers.hpp"

namespace topo::loader {

IpAddress default_gateway(const IpPrefix& subnet) { return subnet.network().plus(1); }

IpAddress effective_gateway(const SubnetSpec& s) { return s.gateway ? *s.gateway : default_gateway(s.subnet); }

const RawAttachment* default_route_carrier(const std::vector<const RawAttachment*>& atts,
                                           const std::function<bool(const std::string& network)>& internal) {
  const RawAttachment* chosen = nullptr;
  for (const RawAttachment* raw : atts)
    if (raw->default_route_given && raw->a.default_route) chosen = raw;
  if (!chosen) {
    for (const RawAttachment* raw : atts) {
      if (internal(raw->a.network)) continue;
      if (raw->default_route_given && !raw->a.default_route) continue;  // explicitly declined
      if (!chosen || raw->a.interface < chosen->a.interface) chosen = raw;
    }
  }
  // Internal networks never carry it, even when marked.
  return chosen && !internal(chosen->a.network) ? chosen : nullptr;
}

namespace {

Network fill_network(const RawNetwork& raw) {
  Network n = raw.net;
  for (SubnetSpec& s : n.subnets) {
    if (!s.gateway && n.driver_settings().has_gateway()) s.gateway = default_gateway(s.subnet);
  }
  return n;
}

void resolve_default_routes(std::vector<Attachment>& atts, const std::vector<RawAttachment>& raws,
                            const Desired& d) {
  std::map<std::string, std::vector<std::size_t>> by_container;
  for (std::size_t i = 0; i < atts.size(); ++i) by_container[atts[i].container].push_back(i);
  // Internal networks have no way out; a network without a gateway no router.
  auto internal = [&d](const std::string& network) {
    const Network* net = d.network(network);
    return net && (net->internal || !net->driver_settings().has_gateway());
  };
  for (auto& [container, idx] : by_container) {
    std::vector<const RawAttachment*> mine;
    for (std::size_t i : idx) mine.push_back(&raws[i]);
    const RawAttachment* chosen = default_route_carrier(mine, internal);
    for (std::size_t i : idx) atts[i].default_route = chosen == &raws[i];
  }
}

// container:<name> chains (c -> b -> a) end at the container whose namespace
// they all share; pointing each joiner straight at it means every joiner's
// entry is a bind of an entry that already exists. The checks ruled out
// cycles and unknown targets.
void resolve_mode_targets(std::vector<Container>& containers) {
  std::map<std::string, const Container*> by_name;
  for (const Container& c : containers) by_name[c.name] = &c;
  std::map<std::string, std::string> root;
  for (const Container& c : containers) {
    if (c.network_mode != NetworkMode::Container) continue;
    std::string target = c.mode_target;
    for (std::size_t hops = 0; hops <= containers.size(); ++hops) {
      auto it = by_name.find(target);
      if (it == by_name.end() || it->second->network_mode != NetworkMode::Container) break;
      target = it->second->mode_target;
    }
    root[c.name] = target;
  }
  for (Container& c : containers)
    if (auto it = root.find(c.name); it != root.end()) c.mode_target = it->second;
}

}  // namespace

Desired build_desired(const RawModel& raw) {
  Desired d;
  d.stacks = raw.stacks;
  for (const RawHost& h : raw.hosts) d.hosts.push_back(h.h);
  for (const RawNetwork& n : raw.networks) d.networks.push_back(fill_network(n));
  for (const RawContainer& c : raw.containers) {
    Container out = c.c;
    if (out.hostname.empty()) out.hostname = out.name;
    // Typed for the providers (files_provider.cpp); the checks passed, so all parse.
    for (const std::string& text : c.extra_hosts_written)
      if (auto h = parse_extra_host(text).value) out.extra_hosts.push_back(*h);
    for (const std::string& text : c.links_written)
      if (auto l = parse_link(text).value) out.links.push_back(*l);
    d.containers.push_back(std::move(out));
  }
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(d.hosts.begin(), d.hosts.end(), by_name);
  std::sort(d.networks.begin(), d.networks.end(), by_name);
  std::sort(d.containers.begin(), d.containers.end(), by_name);
  resolve_mode_targets(d.containers);

  std::map<std::string, int> attachment_count;
  for (const RawAttachment& a : raw.attachments) ++attachment_count[a.a.container];
  std::vector<Attachment> atts;
  for (const RawAttachment& a : raw.attachments) {
    Attachment out = a.a;
    if (out.interface.empty() && attachment_count[out.container] == 1) out.interface = "eth0";
    atts.push_back(std::move(out));
  }
  resolve_default_routes(atts, raw.attachments, d);
  std::sort(atts.begin(), atts.end(), [](const Attachment& a, const Attachment& b) {
    return std::tie(a.container, a.interface) < std::tie(b.container, b.interface);
  });
  d.attachments = std::move(atts);
  for (const RawCheck& raw : raw.checks) {
    Check c = raw.c;
    if ((c.to_address = IpAddress::parse(c.to))) c.to.clear();
    if (raw.protocol_text == "udp")
      c.protocol = CheckProtocol::Udp;
    else if (raw.protocol_text == "tcp" || (raw.protocol_text.empty() && c.port))
      c.protocol = CheckProtocol::Tcp;
    d.checks.push_back(std::move(c));
  }
  return d;
}

}  // namespace topo::loader
