// Routes in the main table, marked by their protocol number.
#include <linux/rtnetlink.h>

#include <netlink/route/route.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/link_util.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/observer/decode.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

bool onlink(const Resource& r) { return r.attr(attr::onlink) == "on"; }

std::string dst_of(const Resource& r) {
  if (r.name == "default") return "0.0.0.0/0";
  if (r.name == "default6") return "::/0";
  return r.name;
}

// need_dev: a create needs the device; a delete may go without it (the
// kernel matches on destination, table and protocol).
nl::Route build(nl_sock* sock, const Resource& r, const std::string& op, bool need_dev) {
  const std::string key = r.key();
  nl::Address dst = parse_ip(dst_of(r), op, key);
  nl::Route route(rtnl_route_alloc());
  if (!route) nl::throw_errno(op, key, ENOMEM);
  rtnl_route_set_family(route.get(), static_cast<uint8_t>(nl_addr_get_family(dst.get())));
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(),
                          static_cast<uint8_t>(ownership::route_protocol(r.ns.empty(), !r.attr(attr::dev).empty())));
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  if (int e = rtnl_route_set_dst(route.get(), dst.get()); e < 0) nl::throw_nl(op, key, e);
  const std::string via = r.attr(attr::via);
  // IPv4 deletes match the scope too; left unset, libnl guesses "link" for a
  // route without nexthops, and a route via a gateway would not match
  // (ESRCH, taken as "already gone").
  rtnl_route_set_scope(route.get(), via.empty() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
  if (!need_dev) return route;

  const std::string dev = r.attr(attr::dev);
  if (via.empty() && dev.empty()) nl::throw_errno(op, key, EINVAL, "route needs dev or via");
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!nh) nl::throw_errno(op, key, ENOMEM);
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns it from here
  if (!dev.empty()) rtnl_route_nh_set_ifindex(nh, link_index(sock, dev, op, key));
  if (!via.empty()) rtnl_route_nh_set_gateway(nh, parse_ip(via, op, key).get());
  // The gateway is on no subnet of the link (flannel's `via 10.50.2.0 dev vx
  // onlink`): without the flag the kernel refuses it. libnl sends a single
  // hop's flags in rtm_flags, where the kernel reads them.
  if (onlink(r)) rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
  return route;
}

void send_add(SocketPool& s, const Resource& desired, int flags, const std::string& op) {
  const std::string key = desired.key();
  nl_sock* sock = s.get(desired.ns);
  nl::Route route = build(sock, desired, op, true);
  nl_msg* raw = nullptr;
  if (int r = rtnl_route_build_add_request(route.get(), flags, &raw); r < 0) nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == EEXIST && (flags & NLM_F_EXCL)) {
    // Judge the existing route: ours and the same dev/via/onlink is what we meant.
    for (const auto& rec : observer::dump_routes(sock, desired.ns)) {
      if (rec.table != RT_TABLE_MAIN || observer::route_name(rec.dst) != desired.name) continue;
      const bool ours = rec.protocol == ownership::route_protocol(desired.ns.empty(), !desired.attr(attr::dev).empty());
      const bool same_via = rec.via == desired.attr(attr::via);
      const std::string dev = desired.attr(attr::dev);
      const bool same_dev = dev.empty() || rec.oif == link_index(sock, dev, op, key);
      if (ours && same_via && same_dev && rec.onlink == onlink(desired)) return;
    }
    nl::throw_errno(op, key, EEXIST, "a different or foreign route to this destination exists");
  }
  check(ack, op, key);
}

}  // namespace

void create_route(SocketPool& s, const Resource& desired) {
  send_add(s, desired, NLM_F_CREATE | NLM_F_EXCL, "create route");
}

void update_route(SocketPool& s, const Resource&, const Resource& desired) {
  send_add(s, desired, NLM_F_CREATE | NLM_F_REPLACE, "update route");
}

void remove_route(SocketPool& s, const Resource& current) {
  constexpr const char* op = "remove route";
  const std::string key = current.key();
  nl_sock* sock = nullptr;
  try {
    sock = s.get(current.ns);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return;
    throw;
  }
  // The protocol is part of the match, so a foreign route is never deleted.
  nl::Route route = build(sock, current, op, false);
  nl_msg* raw = nullptr;
  if (int r = rtnl_route_build_del_request(route.get(), 0, &raw); r < 0) nl::throw_nl(op, key, r);
  const nl::Ack ack = nl::request(sock, nl::Msg(raw));
  if (ack.err == ESRCH || ack.err == ENOENT || ack.err == ENODEV) return;
  check(ack, op, key);
}

}  // namespace topo::kops
