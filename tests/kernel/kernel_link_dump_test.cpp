// The link dump (kernel/read/dumps.hpp, parsed by link_records.hpp) against
// a real kernel: each record is what libnl's link objects gave through the
// kinds' getters (the observer's records before), for every kind this
// kernel makes; and messages built in memory for what it cannot make here
// (ipvlan, 802.1q) or sends only on other hosts (absent modes, a 4-byte
// hardware address).
#include <net/if.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <linux/if_link.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/vxlan.h>
#include <linux/if_addr.h>

#include "kernel_support.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/nl_text.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/kernel/read/link_records.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/kernel/sub_interface_ops.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::test {
namespace {

// A record as libnl's link object and the kinds' libnl getters spelled it
// before the hand parse: the reference.
observer::LinkRecord libnl_record(rtnl_link* l) {
  observer::LinkRecord r;
  r.index = rtnl_link_get_ifindex(l);
  if (const char* n = rtnl_link_get_name(l)) r.name = n;
  if (const char* t = rtnl_link_get_type(l)) r.type = t;
  if (const char* a = rtnl_link_get_ifalias(l)) r.alias = a;
  r.mac = nl::mac_of(rtnl_link_get_addr(l));
  r.mtu = rtnl_link_get_mtu(l);
  r.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
  r.group = rtnl_link_get_group(l);
  r.master = rtnl_link_get_master(l);
  char buf[32] = "";
  if (r.type == "veth") r.parent = rtnl_link_get_link(l);
  if (r.type == "vlan") {
    r.parent = rtnl_link_get_link(l);
    if (const int id = rtnl_link_vlan_get_id(l); id > 0) r.attrs[attr::vlan_id] = std::to_string(id);
  }
  if (r.type == "macvlan") {
    r.parent = rtnl_link_get_link(l);
    rtnl_link_macvlan_mode2str(static_cast<int>(rtnl_link_macvlan_get_mode(l)), buf, sizeof buf);
    r.attrs[attr::link_mode] = buf;
  }
  if (r.type == "ipvlan") {
    r.parent = rtnl_link_get_link(l);
    uint16_t mode = 0;
    if (rtnl_link_ipvlan_get_mode(l, &mode) == 0) rtnl_link_ipvlan_mode2str(mode, buf, sizeof buf);
    r.attrs[attr::link_mode] = buf;
  }
  if (r.type == "vxlan") {
    uint32_t vni = 0, port = 0;
    rtnl_link_vxlan_get_id(l, &vni);
    rtnl_link_vxlan_get_port(l, &port);
    r.attrs[attr::vni] = std::to_string(vni);
    r.attrs[attr::port] = std::to_string(port);
    nl_addr* local = nullptr;
    if (rtnl_link_vxlan_get_local(l, &local) >= 0) {
      if (std::string a = nl::address_of(local); !a.empty()) r.attrs[attr::local] = a;
      nl_addr_put(local);
    }
    r.attrs[attr::learning] = rtnl_link_vxlan_get_learning(l) > 0 ? "on" : "off";
  }
  return r;
}

std::string text(const observer::LinkRecord& r) {
  std::string out = std::to_string(r.index) + " " + r.name + " type=" + r.type + " alias=" + r.alias + " mac=" + r.mac +
                    " mtu=" + std::to_string(r.mtu) + (r.up ? " up" : " down") + " group=" + std::to_string(r.group) +
                    " master=" + std::to_string(r.master) + " parent=" + std::to_string(r.parent);
  for (const auto& [k, v] : r.attrs) out += " " + k + "=" + v;
  return out;
}

std::vector<std::string> libnl_links() {
  nl::Socket sock(nl_socket_alloc());
  EXPECT_EQ(nl_connect(sock.get(), NETLINK_ROUTE), 0);
  nl_cache* raw = nullptr;
  EXPECT_EQ(rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw), 0);
  nl::Cache cache(raw);
  std::map<int, std::string> by_index;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    const observer::LinkRecord r = libnl_record(reinterpret_cast<rtnl_link*>(o));
    by_index[r.index] = text(r);
  }
  std::vector<std::string> out;
  for (auto& [index, t] : by_index) out.push_back(t);
  return out;
}

class KernelLinkDump : public KernelTest {};

// The host's links as dump_links reads them, one line each, by index.
struct Dumped {
  std::map<int, std::string> by_index;
  explicit Dumped(const std::string& netns_dir) {
    SocketPool pool(netns_dir);
    for (const observer::LinkRecord& r : observer::dump_links(pool.get(""), "")) by_index[r.index] = text(r);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& [index, t] : by_index) out.push_back(t);
    return out;
  }
  std::string line(const char* name) const {
    auto it = by_index.find(static_cast<int>(if_nametoindex(name)));
    return it == by_index.end() ? std::string("no link ") + name : it->second;
  }
};

TEST_F(KernelLinkDump, RecordsAreLibnlsForEveryKindThisKernelMakes) {
  for (const char* cmd : {
           "ip link add br0 type bridge",
           "ip link add t0 mtu 1400 type veth peer name t1",
           "ip link set t0 master br0 alias 'topo:a/b' group 7 up",
           "ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1 nolearning",
           "ip link add vx1 type vxlan id 43 dstport 8472 local fd00:9::1",
           "ip link add vx2 type vxlan id 44 dstport 4789",
           "ip link add m0 link t1 type macvlan mode bridge",
           "ip link add m1 link t1 type macvlan mode private",
       })
    ASSERT_EQ(sh(cmd), 0) << cmd;
  const Dumped dumped(netns_dir());
  EXPECT_EQ(dumped.lines(), libnl_links());
  // Spelled as the resources spell them, not only alike.
  auto line = [&](const char* name) { return dumped.line(name); };
  EXPECT_NE(line("t0").find(" type=veth alias=topo:a/b "), std::string::npos) << line("t0");
  EXPECT_NE(line("t0").find(" mtu=1400 up group=7 master=" + std::to_string(if_nametoindex("br0")) +
                            " parent=" + std::to_string(if_nametoindex("t1"))),
            std::string::npos) << line("t0");
  EXPECT_NE(line("vx0").find("learning=off local=10.9.0.1 port=4789 vni=42"), std::string::npos) << line("vx0");
  EXPECT_NE(line("vx1").find("learning=on local=fd00:9::1 port=8472 vni=43"), std::string::npos) << line("vx1");
  EXPECT_EQ(line("vx2").find("local="), std::string::npos) << line("vx2");
  EXPECT_NE(line("m0").find("link_mode=bridge"), std::string::npos) << line("m0");
  EXPECT_NE(line("m1").find("link_mode=private"), std::string::npos) << line("m1");
}

TEST_F(KernelLinkDump, Ipvlan8021qRecordsAreLibnls) {
  if (!kops::link_kind_supported("ipvlan") || !kops::link_kind_supported("vlan")) {
    // Inside the second-kernel VM (tests/vm/ctest-in-guest.sh sets TOPO_IN_VM)
    // the kernel is chosen for having both: not finding them there is a failure.
    if (std::getenv("TOPO_IN_VM")) FAIL() << "the second-kernel VM's kernel lacks ipvlan or 802.1q";
    GTEST_SKIP() << "NOT RUN HERE: this kernel has no ipvlan or 802.1q links. It runs on Debian's stock kernel "
                    "under qemu instead: scripts/test-vm.sh -R KernelLinkDump (README \"Second kernel\")";
  }
  for (const char* cmd : {
           "ip link add t0 type veth peer name t1",
           // Two parents: ipvlan's mode is its parent's, shared by all of them.
           "ip link add i0 link t1 type ipvlan mode l3",
           "ip link add i1 link t0 type ipvlan mode l2",
           "ip link add t1.42 link t1 type vlan id 42",
       })
    ASSERT_EQ(sh(cmd), 0) << cmd;
  const Dumped dumped(netns_dir());
  EXPECT_EQ(dumped.lines(), libnl_links());
  auto line = [&](const char* name) { return dumped.line(name); };
  const std::string parent = " parent=" + std::to_string(if_nametoindex("t1"));
  EXPECT_NE(line("i0").find(parent + " link_mode=l3"), std::string::npos) << line("i0");
  EXPECT_NE(line("i1").find(" parent=" + std::to_string(if_nametoindex("t0")) + " link_mode=l2"), std::string::npos)
      << line("i1");
  EXPECT_NE(line("t1.42").find(parent + " vlan_id=42"), std::string::npos) << line("t1.42");
}

TEST_F(KernelLinkDump, OneLinkByNameOrIndexIsTheDumpsRecord) {
  ASSERT_EQ(sh("ip link add t0 type veth peer name t1"), 0);
  SocketPool pool(netns_dir());
  std::string dumped;
  for (const observer::LinkRecord& r : observer::dump_links(pool.get(""), ""))
    if (r.name == "t0") dumped = text(r);
  ASSERT_FALSE(dumped.empty());
  const auto by_name = observer::get_link(pool.get(""), "", 0, "t0");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(text(*by_name), dumped);
  const auto by_index = observer::get_link(pool.get(""), "", by_name->index, "");
  ASSERT_TRUE(by_index);
  EXPECT_EQ(text(*by_index), dumped);
  EXPECT_FALSE(observer::get_link(pool.get(""), "", 0, "nosuchlink"));
  // Longer than any link's name can be: none, without a request (it would
  // not fit the request's buffer).
  EXPECT_FALSE(observer::get_link(pool.get(""), "", 0, std::string(300, 'x')));
  EXPECT_FALSE(observer::get_link(pool.get(""), "", 0, ""));
  EXPECT_FALSE(observer::get_link(pool.get(""), "", 99999, ""));
  // The socket is left clean: the next dump reads its own replies only.
  EXPECT_FALSE(observer::dump_links(pool.get(""), "").empty());
}

TEST_F(KernelLinkDump, RepliesToAnEarlierRequestLeftInTheSocketAreSkipped) {
  ASSERT_EQ(sh("ip link add t0 type veth peer name t1"), 0);
  SocketPool pool(netns_dir());
  nl_sock* sock = pool.get("");
  const size_t links = observer::dump_links(sock, "").size();
  // An address dump whose replies nobody reads (as after a dump given up
  // half-way): the next dump must read past them to its own.
  nl::Msg stray(nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP));
  ifaddrmsg ifa{};
  ASSERT_EQ(nlmsg_append(stray.get(), &ifa, sizeof ifa, NLMSG_ALIGNTO), 0);
  ASSERT_GE(nl_send_auto(sock, stray.get()), 0);
  const std::vector<observer::LinkRecord> got = observer::dump_links(sock, "");
  EXPECT_EQ(got.size(), links);
  for (const auto& l : got) EXPECT_FALSE(l.name.empty()) << "a stray reply read as a link";
  EXPECT_FALSE(observer::dump_addrs(sock, "").empty());
}

// A link message of `kind` with `data` attributes in its IFLA_INFO_DATA
// (none: no IFLA_LINKINFO at all when kind is null).
nl::Msg link_msg(const char* kind, const std::function<void(nl_msg*)>& data, const void* hwaddr = nullptr,
                 int hwlen = 0) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_MULTI));
  nlmsg_set_proto(msg.get(), NETLINK_ROUTE);  // so that nl_msg_parse finds the link parser
  ifinfomsg ifi{};
  ifi.ifi_index = 5;
  ifi.ifi_flags = IFF_UP;
  EXPECT_EQ(nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO), 0);
  nla_put_string(msg.get(), IFLA_IFNAME, "l5");
  nla_put_u32(msg.get(), IFLA_LINK, 3);
  if (hwaddr) nla_put(msg.get(), IFLA_ADDRESS, hwlen, hwaddr);
  if (kind) {
    nlattr* info = nla_nest_start(msg.get(), IFLA_LINKINFO);
    nla_put_string(msg.get(), IFLA_INFO_KIND, kind);
    nlattr* d = nla_nest_start(msg.get(), IFLA_INFO_DATA);
    if (data) data(msg.get());
    nla_nest_end(msg.get(), d);
    nla_nest_end(msg.get(), info);
  }
  return msg;
}

std::string libnl_text(nl_msg* msg) {
  std::string out = "unparsed";
  nl_msg_parse(msg, [](nl_object* o, void* arg) {
    *static_cast<std::string*>(arg) = text(libnl_record(reinterpret_cast<rtnl_link*>(o)));
  }, &out);
  return out;
}

std::string hand_text(nl_msg* msg) {
  const auto r = observer::parse_link(nlmsg_hdr(msg));
  return r ? text(*r) : "none";
}

TEST(LinkRecords, MessagesThisKernelCannotSendAreReadAsLibnlReadThem) {
  const unsigned char mac[6] = {0x02, 0, 0, 0, 0, 0x0a}, ipip[4] = {10, 0, 0, 1};
  struct Case {
    const char* what;
    nl::Msg msg;
    const char* expect;  // a part of the record
    // libnl's getters dereference the kind's data, which its parse leaves
    // null when IFLA_INFO_DATA is empty: no reference to compare with there
    // (kernels always send a sub-interface's mode and a VXLAN's id).
    bool libnl_reads_it = true;
  };
  Case cases[] = {
      {"ipvlan l3", link_msg("ipvlan", [](nl_msg* m) { nla_put_u16(m, IFLA_IPVLAN_MODE, IPVLAN_MODE_L3); }), "link_mode=l3"},
      {"ipvlan l2", link_msg("ipvlan", [](nl_msg* m) { nla_put_u16(m, IFLA_IPVLAN_MODE, IPVLAN_MODE_L2); }), "parent=3 link_mode=l2"},
      {"macvlan vepa", link_msg("macvlan", [](nl_msg* m) { nla_put_u32(m, IFLA_MACVLAN_MODE, MACVLAN_MODE_VEPA); }), "link_mode=vepa"},
      {"vlan 100", link_msg("vlan", [](nl_msg* m) { nla_put_u16(m, IFLA_VLAN_ID, 100); }), "parent=3 vlan_id=100"},
      {"vxlan with its id only", link_msg("vxlan", [](nl_msg* m) { nla_put_u32(m, IFLA_VXLAN_ID, 7); }), "learning=off port=0 vni=7"},
      {"a kind topo does not make", link_msg("dummy", nullptr, mac, 6), "type=dummy alias= mac=02:00:00:00:00:0a"},
      {"a tunnel's 4-byte address", link_msg(nullptr, nullptr, ipip, 4), "type= alias= mac= "},
      {"ipvlan without a mode", link_msg("ipvlan", nullptr), "parent=3 link_mode=", false},
      {"macvlan without a mode", link_msg("macvlan", nullptr), "parent=3 link_mode=0x0", false},
      {"vxlan without attributes", link_msg("vxlan", nullptr), "learning=off port=0 vni=0", false},
  };
  for (Case& c : cases) {
    if (c.libnl_reads_it) {
      EXPECT_EQ(hand_text(c.msg.get()), libnl_text(c.msg.get())) << c.what;
    }
    EXPECT_NE(hand_text(c.msg.get()).find(c.expect), std::string::npos) << c.what << ": " << hand_text(c.msg.get());
  }
}

TEST(LinkRecords, AShortMessageIsNoLink) {
  nl::Msg msg(nlmsg_alloc_simple(RTM_NEWLINK, 0));
  char half[4] = {};
  ASSERT_EQ(nlmsg_append(msg.get(), half, sizeof half, NLMSG_ALIGNTO), 0);
  EXPECT_FALSE(observer::parse_link(nlmsg_hdr(msg.get())));
}

}  // namespace
}  // namespace topo::test
