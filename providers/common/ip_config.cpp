#include "providers/common/ip_config.hpp"

namespace topo {

const Allocation& allocation_of(const Attachment& att, const RenderContext& ctx) {
  static const Allocation empty;
  auto it = ctx.allocations.find(attachment_key(att));
  return it == ctx.allocations.end() ? empty : it->second;
}

void render_ip_config(const Attachment& att, const Network& net, const Allocation& alloc,
                      const IpConfigOptions& opts, std::vector<Resource>& out) {
  const std::string origin = "attachment/" + att.container + "/" + att.interface;
  bool done_v4 = false, done_v6 = false;
  for (const auto& s : net.subnets) {
    const bool v4 = s.subnet.addr.is_v4();
    bool& done = v4 ? done_v4 : done_v6;
    const auto& a = v4 ? alloc.ipv4 : alloc.ipv6;
    if (!a || done) continue;
    done = true;
    const std::string cidr = a->str() + "/" + std::to_string(s.subnet.len);
    Resource addr{Kind::Address, att.container, att.interface + "/" + cidr, {}, {}, origin};
    addr.attrs[attr::dev] = att.interface;
    addr.attrs[attr::address] = cidr;
    out.push_back(std::move(addr));
    if (!att.default_route || net.internal) continue;
    if (opts.via_gateway && !s.gateway) continue;
    Resource rt{Kind::Route, att.container, v4 ? "default" : "default6", {}, {}, origin};
    rt.attrs[attr::dev] = att.interface;
    if (opts.via_gateway) rt.attrs[attr::via] = s.gateway->str();
    out.push_back(std::move(rt));
  }
}

}  // namespace topo
