#include "reconciler/kernel/read/dumps.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include <net/if.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/read/extract.hpp"
#include "reconciler/kernel/read/link_records.hpp"
#include "reconciler/kernel/read/rt_records.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::observer {
namespace {

std::string where(const std::string& ns) { return ns.empty() ? "host namespace" : "netns " + ns; }

// A request, built on the stack (libmnl), and its replies, read into a
// buffer on the stack and handed over where they lie. libnl's receive path
// copied each reply into a message of its own and the link parse made an
// object of it: two to a dozen allocations a reply, with the allocator's
// lock, about a tenth of a no-op plan's CPU at N = 1000 (README
// "Performance"). Not mnl_cb_run: it stops at an interrupted dump's first
// flagged reply, leaving the rest of the dump in the socket.
constexpr size_t kRequestRoom = 256;
// Above what the kernel puts in one read of a dump (32 KiB): a reply that
// does not fit is an error, not a cut record.
constexpr size_t kReceiveRoom = 64 * 1024;

struct Request {
  alignas(nlmsghdr) char buf[kRequestRoom];
  nlmsghdr* h;
  Request(uint16_t type, uint16_t flags) : h(mnl_nlmsg_put_header(buf)) {
    h->nlmsg_type = type;
    h->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
  }
  template <typename Body>
  void body(const Body& b) {
    std::memcpy(mnl_nlmsg_put_extra_header(h, sizeof b), &b, sizeof b);
  }
};

// How the replies to one request ended: 0, or a negative errno with the
// kernel's extended-ack text; -EINTR when a dump was interrupted by a
// concurrent change (NLM_F_DUMP_INTR), which is consistent only when repeated.
struct Ending {
  int error = 0;
  std::string kernel_msg;
};

// Sends `req` and hands each reply to it to `on`, until the dump's end
// (NLMSG_DONE) or an NLMSG_ERROR (an acknowledgement when it holds 0).
// Replies to anything else (an earlier request's tail) are skipped.
template <typename On>
Ending exchange(nl_sock* sock, Request& req, On&& on) {
  const int fd = nl_socket_get_fd(sock);
  const uint32_t seq = nl_socket_use_seq(sock);
  req.h->nlmsg_seq = seq;
  if (::send(fd, req.h, req.h->nlmsg_len, 0) < 0) return {-errno, {}};
  alignas(nlmsghdr) char buf[kReceiveRoom];
  bool interrupted = false;
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {-errno, {}};
    }
    if (static_cast<size_t>(n) > sizeof buf) return {-EMSGSIZE, "a reply larger than 64 KiB"};
    int left = static_cast<int>(n);
    for (const auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_flags & NLM_F_DUMP_INTR) interrupted = true;
      if (h->nlmsg_type == NLMSG_DONE) {
        int error = 0;
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof error)) std::memcpy(&error, NLMSG_DATA(h), sizeof error);
        if (error < 0) return {error, {}};
        return {interrupted ? -EINTR : 0, {}};
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return {-EPROTO, {}};
        const int error = static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
        if (error < 0) return {error, nl::ext_ack_text(h)};
        return {interrupted ? -EINTR : 0, {}};
      }
      if (h->nlmsg_type >= NLMSG_MIN_TYPE) on(h);
    }
  }
}

// A request (a dump, or a get with NLM_F_ACK so that its replies end as a
// dump's do), repeated a few times when it was interrupted (or the kernel
// was busy); then the error (retryable) goes up. `fill` adds the family
// header (and any attributes) to the request; `on` gets each reply, and null
// when an interrupted request starts over.
template <typename Fill, typename On>
void raw_request(nl_sock* sock, const std::string& ns, const std::string& what, const std::string& object,
                 uint16_t type, uint16_t flags, Fill&& fill, On&& on) {
  Ending end;
  for (int attempt = 0; attempt < 3; ++attempt) {
    Request req(type, flags);
    fill(req);
    on(nullptr);
    end = exchange(sock, req, [&](const nlmsghdr* h) { on(h); });
    if (end.error != -EINTR && end.error != -EBUSY) break;
  }
  if (end.error < 0) nl::throw_errno(what, object.empty() ? where(ns) : object + " in " + where(ns), -end.error,
                                     end.kernel_msg);
}

template <typename Fill, typename On>
void raw_dump(nl_sock* sock, const std::string& ns, const char* what, uint16_t type, Fill&& fill, On&& on) {
  raw_request(sock, ns, what, "", type, NLM_F_DUMP, fill, on);
}

// A request that carries only its family header.
template <typename Body>
auto header(const Body& body) {
  return [body](Request& req) { req.body(body); };
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
std::pair<nlattr*, nlattr*> name_and(const nlmsghdr* h, int type) {
  nlattr *name = nullptr, *found = nullptr;
  if (!nlmsg_valid_hdr(h, sizeof(ifinfomsg))) return {nullptr, nullptr};
  nlattr* a;
  int left;
  nlmsg_for_each_attr(a, const_cast<nlmsghdr*>(h), sizeof(ifinfomsg), left) {
    if (nla_type(a) == IFLA_IFNAME) name = a;
    if (nla_type(a) == type) found = a;
  }
  return {name, found};
}

// The name and settings of one reply of an AF_UNSPEC link dump.
void add_ipv6_conf_of_link(const nlmsghdr* h, Ipv6Conf& out) {
  const auto [name, af_spec] = name_and(h, IFLA_AF_SPEC);
  if (!af_spec) return;
  nlattr* a;
  int left;
  nla_for_each_nested(a, af_spec, left)
    if (nla_type(a) == AF_INET6) return add_ipv6_conf(name, a, out);
}

}  // namespace

// Parsed by hand (link_records.hpp); counters are not asked for.
std::vector<LinkRecord> dump_links(nl_sock* sock, const std::string& ns, Ipv6Conf* ipv6_conf) {
  std::vector<LinkRecord> out;
  ifinfomsg req{};
  req.ifi_family = AF_UNSPEC;
  auto fill = [&](Request& r) {
    r.body(req);
    mnl_attr_put_u32(r.h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  };
  raw_dump(sock, ns, "dump links", RTM_GETLINK, fill, [&](const nlmsghdr* h) {
    if (!h) {
      if (ipv6_conf) ipv6_conf->clear();
      return out.clear();
    }
    if (ipv6_conf) add_ipv6_conf_of_link(h, *ipv6_conf);
    if (std::optional<LinkRecord> l = parse_link(h)) out.push_back(std::move(*l));
  });
  return out;
}

std::vector<AddrRecord> dump_addrs(nl_sock* sock, const std::string& ns) {
  std::vector<AddrRecord> out;
  ifaddrmsg req{};
  req.ifa_family = AF_UNSPEC;
  raw_dump(sock, ns, "dump addresses", RTM_GETADDR, header(req), [&](const nlmsghdr* h) {
    if (!h) return out.clear();
    if (std::optional<AddrRecord> a = parse_addr(h)) out.push_back(std::move(*a));
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
  raw_dump(sock, ns, "dump routes", RTM_GETROUTE, header(req), [&](const nlmsghdr* h) {
    if (!h) return routes.clear();
    std::optional<ParsedRoute> r = parse_route(h);
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
  raw_dump(sock, ns, "dump fdb", RTM_GETNEIGH, header(req), [&](const nlmsghdr* h) {
    if (!h) return out.clear();
    // libnl's neighbour parse, on a copy of the reply: FDBs are read only
    // where topo owns a VXLAN device.
    nl::Msg msg(nlmsg_convert(const_cast<nlmsghdr*>(h)));
    if (!msg) nl::throw_errno("dump fdb", where(ns), ENOMEM);
    nlmsg_set_proto(msg.get(), NETLINK_ROUTE);  // what nl_msg_parse finds the parser by
    nl_msg_parse(msg.get(), [](nl_object* o, void* arg) { static_cast<std::vector<FdbRecord>*>(arg)->push_back(extract_fdb(o)); }, &out);
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
  raw_dump(sock, ns, "dump neighbours", RTM_GETNEIGH, header(req), [&](const nlmsghdr* h) {
    if (!h) return out.clear();
    std::optional<NeighRecord> n = parse_neigh(h);
    if (n && (n->state & NUD_PERMANENT) && !(n->flags & NTF_PROXY)) out.push_back(std::move(*n));
  });
  return out;
}

Ipv6Conf dump_ipv6_conf(nl_sock* sock, const std::string& ns) {
  Ipv6Conf out;
  ifinfomsg req{};
  req.ifi_family = AF_INET6;
  raw_dump(sock, ns, "dump IPv6 settings", RTM_GETLINK, header(req), [&](const nlmsghdr* h) {
    if (!h) return out.clear();
    const auto [name, protinfo] = name_and(h, IFLA_PROTINFO);
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
  // No link has a longer name (IFNAMSIZ with its NUL); nor would it fit the request.
  if (!index && (name.empty() || name.size() >= IFNAMSIZ)) return std::nullopt;
  std::optional<LinkRecord> out;
  auto fill = [&](Request& req) {
    ifinfomsg body{};
    body.ifi_family = AF_UNSPEC;
    body.ifi_index = index;
    req.body(body);
    if (!index) mnl_attr_put_strz(req.h, IFLA_IFNAME, name.c_str());
    mnl_attr_put_u32(req.h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  };
  try {
    raw_request(sock, ns, "get link", index ? std::to_string(index) : name, RTM_GETLINK, NLM_F_ACK, fill,
                [&](const nlmsghdr* h) {
                  if (!h) return out.reset();
                  if (h->nlmsg_type == RTM_NEWLINK) out = parse_link(h);
                });
  } catch (const KernelError& e) {
    if (e.err() == ENODEV) return std::nullopt;
    throw;
  }
  return out;
}

}  // namespace topo::observer
