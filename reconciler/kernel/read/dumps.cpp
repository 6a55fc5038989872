#include "reconciler/kernel/read/dumps.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <linux/rtnetlink.h>
#include <linux/neighbour.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/read/extract.hpp"
#include "reconciler/kernel/read/rt_records.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {
namespace {

std::string where(const std::string& ns) { return ns.empty() ? "host namespace" : "netns " + ns; }

// A dump parsed message by message (no libnl cache, whose hash table and
// objects cost more than the records they become): `fill` appends the
// family header (and any attributes) to the request, `on` gets each reply to
// this very request, and null when an interrupted dump starts over. A dump
// interrupted by a concurrent change (NLE_DUMP_INTR) is consistent only when
// repeated; a few tries, then the error (retryable) goes up.
constexpr size_t kRequestSize = 256;

template <typename Fill, typename On>
void raw_dump(nl_sock* sock, const std::string& ns, const char* what, uint16_t type, Fill&& fill, On&& on) {
  struct Ctx {
    unsigned seq = 0;
    On* on;
  };
  auto valid = [](nl_msg* msg, void* arg) -> int {
    auto* c = static_cast<Ctx*>(arg);
    if (nlmsg_hdr(msg)->nlmsg_seq != c->seq) return NL_SKIP;  // a stray reply to something else
    (*c->on)(msg);
    return NL_OK;
  };
  int r = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    // A dump request is a few dozen bytes: nlmsg_alloc_simple's default (a
    // zeroed page) cost more than parsing a small namespace's replies.
    nl_msg* raw = nlmsg_alloc_size(kRequestSize);
    if (!raw) nl::throw_errno(what, where(ns), ENOMEM);
    nl::Msg msg(raw);
    if (!nlmsg_put(raw, NL_AUTO_PORT, NL_AUTO_SEQ, type, 0, NLM_F_DUMP)) {
      r = -NLE_MSGSIZE;
      break;
    }
    if ((r = fill(raw)) < 0) break;
    if ((r = nl_send_auto(sock, raw)) < 0) break;
    Ctx ctx{nlmsg_hdr(raw)->nlmsg_seq, &on};
    on(nullptr);
    nl_cb* sock_cb = nl_socket_get_cb(sock);  // takes a reference
    nl::Callbacks cb(nl_cb_clone(sock_cb));
    nl_cb_put(sock_cb);
    if (!cb) nl::throw_errno(what, where(ns), ENOMEM);
    nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, valid, &ctx);
    r = nl_recvmsgs(sock, cb.get());
    if (r >= 0) return;
    if (nl::to_errno(r) != EINTR && nl::to_errno(r) != EBUSY) break;
  }
  nl::throw_nl(what, where(ns), r);
}

// A request that carries only its family header.
template <typename Body>
auto header(const Body& body) {
  return [body](nl_msg* msg) {
    Body req = body;
    return nlmsg_append(msg, &req, sizeof req, NLMSG_ALIGNTO);
  };
}

// One link's IPv6 settings into `out`: `nest` holds IFLA_INET6_CONF (an
// AF_INET6 link dump's IFLA_PROTINFO, or the AF_INET6 entry of any link
// dump's IFLA_AF_SPEC). Two attributes of a few dozen: looked for, not
// parsed into a table.
void add_ipv6_conf(const nlattr* name, nlattr* nest, Ipv6Conf& out) {
  if (!name || !nest) return;
  nlattr* a;
  int left;
  nla_for_each_nested(a, nest, left) {
    if (nla_type(a) != IFLA_INET6_CONF) continue;
    const auto* values = static_cast<const int32_t*>(nla_data(a));
    const auto* text = static_cast<const char*>(nla_data(name));
    out[std::string(text, strnlen(text, static_cast<size_t>(nla_len(name))))].assign(
        values, values + nla_len(a) / sizeof(int32_t));
    return;
  }
}

// A link reply's IFLA_IFNAME and its attribute of type `type` (null when
// absent).
std::pair<nlattr*, nlattr*> name_and(nlmsghdr* h, int type) {
  nlattr *name = nullptr, *found = nullptr;
  if (!nlmsg_valid_hdr(h, sizeof(ifinfomsg))) return {nullptr, nullptr};
  nlattr* a;
  int left;
  nlmsg_for_each_attr(a, h, sizeof(ifinfomsg), left) {
    if (nla_type(a) == IFLA_IFNAME) name = a;
    if (nla_type(a) == type) found = a;
  }
  return {name, found};
}

// The name and settings of one reply of an AF_UNSPEC link dump.
void add_ipv6_conf_of_link(nlmsghdr* h, Ipv6Conf& out) {
  const auto [name, af_spec] = name_and(h, IFLA_AF_SPEC);
  if (!af_spec) return;
  nlattr* a;
  int left;
  nla_for_each_nested(a, af_spec, left)
    if (nla_type(a) == AF_INET6) return add_ipv6_conf(name, a, out);
}

}  // namespace

// Parsed into libnl's link objects one message at a time (the kinds'
// extract hooks read rtnl_link), without a cache; counters are not asked for.
std::vector<LinkRecord> dump_links(nl_sock* sock, const std::string& ns, Ipv6Conf* ipv6_conf) {
  std::vector<LinkRecord> out;
  ifinfomsg req{};
  req.ifi_family = AF_UNSPEC;
  auto fill = [&](nl_msg* msg) {
    if (int r = nlmsg_append(msg, &req, sizeof req, NLMSG_ALIGNTO); r < 0) return r;
    return nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  };
  raw_dump(sock, ns, "dump links", RTM_GETLINK, fill, [&](nl_msg* msg) {
    if (!msg) {
      if (ipv6_conf) ipv6_conf->clear();
      return out.clear();
    }
    if (ipv6_conf) add_ipv6_conf_of_link(nlmsg_hdr(msg), *ipv6_conf);
    nl_msg_parse(msg, [](nl_object* o, void* arg) {
      static_cast<std::vector<LinkRecord>*>(arg)->push_back(extract_link(reinterpret_cast<rtnl_link*>(o)));
    }, &out);
  });
  return out;
}

std::vector<AddrRecord> dump_addrs(nl_sock* sock, const std::string& ns) {
  std::vector<AddrRecord> out;
  ifaddrmsg req{};
  req.ifa_family = AF_UNSPEC;
  raw_dump(sock, ns, "dump addresses", RTM_GETADDR, header(req), [&](nl_msg* msg) {
    if (!msg) return out.clear();
    if (std::optional<AddrRecord> a = parse_addr(nlmsg_hdr(msg))) out.push_back(std::move(*a));
  });
  return out;
}

// Main-table routes only, the only ones topo reads: the kernel leaves the
// others (every namespace's local table) out when the socket asks for strict
// checking (socket_pool.cpp; kernels from 4.20), and they are dropped here
// when it does not.
std::vector<RouteRecord> dump_routes(nl_sock* sock, const std::string& ns) {
  std::vector<ParsedRoute> routes;
  rtmsg req{};
  req.rtm_family = AF_UNSPEC;
  req.rtm_table = RT_TABLE_MAIN;
  raw_dump(sock, ns, "dump routes", RTM_GETROUTE, header(req), [&](nl_msg* msg) {
    if (!msg) return routes.clear();
    std::optional<ParsedRoute> r = parse_route(nlmsg_hdr(msg));
    if (r && r->record.table == RT_TABLE_MAIN) routes.push_back(std::move(*r));
  });
  return fold_routes(std::move(routes));
}

// The bridge-family neighbour table (what `bridge fdb show` lists). Parsed
// message by message rather than through a libnl cache, which would fold the
// several all-zeros entries of a VXLAN device (one per destination) into one.
std::vector<FdbRecord> dump_fdb(nl_sock* sock, const std::string& ns) {
  std::vector<FdbRecord> out;
  ndmsg req{};
  req.ndm_family = AF_BRIDGE;
  raw_dump(sock, ns, "dump fdb", RTM_GETNEIGH, header(req), [&](nl_msg* msg) {
    if (!msg) return out.clear();
    nl_msg_parse(msg, [](nl_object* o, void* arg) { static_cast<std::vector<FdbRecord>*>(arg)->push_back(extract_fdb(o)); }, &out);
  });
  return out;
}

// Both tables in one request (AF_UNSPEC: ARP and NDP). The kernel's own
// cache entries (reachable, stale, ...) come along and are dropped at once:
// only permanent entries can be topo's, and proxy entries (NTF_PROXY) are
// another table, asked for only by that flag.
std::vector<NeighRecord> dump_neigh(nl_sock* sock, const std::string& ns) {
  std::vector<NeighRecord> out;
  ndmsg req{};
  req.ndm_family = AF_UNSPEC;
  raw_dump(sock, ns, "dump neighbours", RTM_GETNEIGH, header(req), [&](nl_msg* msg) {
    if (!msg) return out.clear();
    std::optional<NeighRecord> n = parse_neigh(nlmsg_hdr(msg));
    if (n && (n->state & NUD_PERMANENT) && !(n->flags & NTF_PROXY)) out.push_back(std::move(*n));
  });
  return out;
}

Ipv6Conf dump_ipv6_conf(nl_sock* sock, const std::string& ns) {
  Ipv6Conf out;
  ifinfomsg req{};
  req.ifi_family = AF_INET6;
  raw_dump(sock, ns, "dump IPv6 settings", RTM_GETLINK, header(req), [&](nl_msg* msg) {
    if (!msg) return out.clear();
    const auto [name, protinfo] = name_and(nlmsg_hdr(msg), IFLA_PROTINFO);
    add_ipv6_conf(name, protinfo, out);
  });
  return out;
}

bool owns_vxlan(const NamespaceDump& dump) {
  return std::any_of(dump.links.begin(), dump.links.end(), [](const LinkRecord& l) {
    return l.type == "vxlan" && l.alias.rfind(ownership::kAliasPrefix, 0) == 0;
  });
}

std::optional<LinkRecord> get_link(nl_sock* sock, const std::string& ns, int index, const std::string& name) {
  rtnl_link* raw = nullptr;
  int r = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    r = rtnl_link_get_kernel(sock, index, index ? nullptr : name.c_str(), &raw);
    if (r >= 0 || (nl::to_errno(r) != EINTR && nl::to_errno(r) != EBUSY)) break;
  }
  if (r < 0) {
    if (nl::to_errno(r) == ENODEV) return std::nullopt;
    nl::throw_nl("get link", (index ? std::to_string(index) : name) + " in " + where(ns), r);
  }
  nl::Link link(raw);
  return extract_link(link.get());
}

}  // namespace topo::observer
