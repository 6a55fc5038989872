// flannel's VXLAN backend per remote node (issue 17): a permanent neighbour
// entry and an onlink route on topo's L3 VXLAN device, through the netlink
// Kernel: made, read back as desired (an empty plan), changed in place,
// removed; someone else's permanent entries stay someone else's.
#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/read/observer.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/planner/diff.hpp"

namespace topo::test {
namespace {

constexpr const char* kVx = "vx-1a2b3c4d";

Resource vxlan_res(const std::string& ns, const std::string& name) {
  Resource r;
  r.kind = Kind::Link;
  r.ns = ns;
  r.name = name;
  // flannel's device: no bridge, learning off, its own address (/32).
  r.attrs = {{attr::type, "vxlan"}, {attr::vni, "1"},     {attr::port, "8472"},
             {attr::learning, "off"}, {attr::mtu, "1450"}, {attr::state, "up"}};
  r.origin = "cluster/default";
  return r;
}

Resource neigh_res(const std::string& ns, const std::string& dev, const std::string& ip, const std::string& mac) {
  Resource r;
  r.kind = Kind::Neighbour;
  r.ns = ns;
  r.name = dev + "/" + ip;
  r.attrs = {{attr::dev, dev}, {attr::ip, ip}, {attr::mac, mac}};
  r.origin = "cluster/default";
  return r;
}

Resource onlink_res(const std::string& ns, const std::string& cidr, const std::string& dev, const std::string& via) {
  Resource r = route_res(ns, cidr, dev, via);
  r.attrs[attr::onlink] = "on";
  r.origin = "cluster/default";
  return r;
}

class KernelNeighbour : public KernelTest {
 protected:
  void SetUp() override {
    KernelTest::SetUp();
    k = make_netlink_kernel({netns_dir()});
  }
  void TearDown() override {
    k.reset();
    KernelTest::TearDown();
  }

  // A remote node's lease 10.50.2.0/24, its VTEP MAC `mac`.
  std::vector<Resource> wanted(const std::string& ns, const std::string& mac = "0a:58:0a:32:02:00") const {
    return {vxlan_res(ns, kVx), addr_res(ns, kVx, "10.50.1.0/32"), onlink_res(ns, "10.50.2.0/24", kVx, "10.50.2.0"),
            neigh_res(ns, kVx, "10.50.2.0", mac), neigh_res(ns, kVx, "fd00:50:2::", mac)};
  }

  void create_all(const std::vector<Resource>& rs) {
    for (const auto& r : rs) ASSERT_NO_THROW(k->create(r)) << r.key();
  }

  // The desired resources of `rs` are what the kernel holds: nothing to plan.
  void expect_no_plan(const std::vector<Resource>& rs) {
    const Observed o = k->observe();
    for (const Resource& want : rs) {
      const Resource* got = find(o, want.key());
      ASSERT_NE(got, nullptr) << "missing " << want.key();
      if (want.kind != Kind::Link) {
        EXPECT_EQ(got->attrs, want.attrs) << want.key();
      }
    }
    const DiffResult d = make_plan(rs, o);
    std::string plan;
    for (const auto& a : d.plan.actions) plan += to_string(a.type) + " " + a.subject().key() + "\n";
    EXPECT_TRUE(d.plan.empty()) << plan;
    EXPECT_TRUE(d.conflicts.empty());
  }

  std::unique_ptr<Kernel> k;
};

TEST_F(KernelNeighbour, MadeReadBackChangedInPlaceAndRemoved) {
  create_all(wanted(""));
  expect_no_plan(wanted(""));
  // As `ip` tells it.
  const std::string neigh = sh_out(std::string("ip neigh show dev ") + kVx + " 10.50.2.0");
  EXPECT_NE(neigh.find("lladdr 0a:58:0a:32:02:00 PERMANENT"), std::string::npos) << neigh;
  EXPECT_NE(sh_out(std::string("ip -6 neigh show dev ") + kVx).find("fd00:50:2:: lladdr 0a:58:0a:32:02:00 PERMANENT"),
            std::string::npos);
  const std::string route = sh_out(std::string("ip route show 10.50.2.0/24 dev ") + kVx);
  EXPECT_NE(route.find("via 10.50.2.0"), std::string::npos) << route;
  EXPECT_NE(route.find("onlink"), std::string::npos) << route;
  EXPECT_NE(route.find("proto 116"), std::string::npos) << route;

  // Making it again is fine: an identical entry is the one wanted.
  EXPECT_NO_THROW(k->create(wanted("")[3]));
  EXPECT_NO_THROW(k->create(wanted("")[2]));

  // The remote node's VTEP got a new MAC: the entry is changed in place.
  const std::vector<Resource> moved = wanted("", "0a:58:0a:32:02:99");
  {
    const DiffResult d = make_plan(moved, k->observe());
    ASSERT_EQ(d.plan.actions.size(), 2u);
    for (const Action& a : d.plan.actions) {
      EXPECT_EQ(a.type, ActionType::Update) << a.subject().key();
      ASSERT_NO_THROW(k->update(a.before(), a.after())) << a.subject().key();
    }
  }
  expect_no_plan(moved);
  EXPECT_NE(sh_out(std::string("ip neigh show dev ") + kVx + " 10.50.2.0").find("lladdr 0a:58:0a:32:02:99 PERMANENT"),
            std::string::npos);

  // Removed, and removed again: already gone is fine.
  for (int i = 0; i < 2; ++i) {
    ASSERT_NO_THROW(k->remove(moved[3]));
    ASSERT_NO_THROW(k->remove(moved[4]));
    ASSERT_NO_THROW(k->remove(moved[2]));
  }
  const Observed after = k->observe();
  EXPECT_EQ(find(after, moved[2].key()), nullptr);
  EXPECT_EQ(find(after, moved[3].key()), nullptr);
  EXPECT_EQ(find(after, moved[4].key()), nullptr);
  EXPECT_EQ(sh_out(std::string("ip neigh show dev ") + kVx + " nud permanent"), "");
  EXPECT_EQ(sh_out(std::string("ip route show 10.50.2.0/24")), "");
}

// A route without the flag the desired one has is drift; the update puts it.
TEST_F(KernelNeighbour, ARouteWithoutOnlinkIsDriftAndTheUpdateSetsIt) {
  create_all({vxlan_res("", kVx), addr_res("", kVx, "10.50.1.0/24")});
  // The gateway is on the link's subnet, so the kernel takes it without onlink.
  Resource plain = route_res("", "10.50.2.0/24", kVx, "10.50.1.9");
  ASSERT_NO_THROW(k->create(plain));
  Resource want = plain;
  want.attrs[attr::onlink] = "on";
  // Made with onlink, the existing one without it is not what was meant.
  EXPECT_THROW(k->create(want), KernelError);
  const std::vector<Resource> wanted{vxlan_res("", kVx), addr_res("", kVx, "10.50.1.0/24"), want};
  const DiffResult d = make_plan(wanted, k->observe());
  ASSERT_EQ(d.plan.actions.size(), 1u);
  EXPECT_EQ(d.plan.actions[0].type, ActionType::Update);
  ASSERT_NO_THROW(k->update(d.plan.actions[0].before(), d.plan.actions[0].after()));
  EXPECT_NE(sh_out("ip route show 10.50.2.0/24").find("onlink"), std::string::npos);
  expect_no_plan({vxlan_res("", kVx), addr_res("", kVx, "10.50.1.0/24"), want});
}

// Another permanent MAC for the same address is an error naming it; a cache
// entry of the kernel's own gives way.
TEST_F(KernelNeighbour, AnotherPermanentEntryIsAnErrorACacheEntryGivesWay) {
  create_all({vxlan_res("", kVx), addr_res("", kVx, "10.50.1.0/32")});
  ASSERT_EQ(sh(std::string("ip neigh add 10.50.2.0 lladdr 02:00:00:00:00:01 dev ") + kVx + " nud permanent"), 0);
  try {
    k->create(neigh_res("", kVx, "10.50.2.0", "0a:58:0a:32:02:00"));
    ADD_FAILURE() << "another permanent entry was taken over";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST);
    EXPECT_NE(std::string(e.what()).find("02:00:00:00:00:01"), std::string::npos) << e.what();
  }
  ASSERT_EQ(sh(std::string("ip neigh add 10.50.3.0 lladdr 02:00:00:00:00:03 dev ") + kVx + " nud stale"), 0);
  ASSERT_NO_THROW(k->create(neigh_res("", kVx, "10.50.3.0", "0a:58:0a:32:03:00")));
  EXPECT_NE(sh_out(std::string("ip neigh show dev ") + kVx + " 10.50.3.0").find("lladdr 0a:58:0a:32:03:00 PERMANENT"),
            std::string::npos);
}

TEST_F(KernelNeighbour, InAContainersNamespace) {
  std::vector<Resource> rs = wanted("c1");
  rs.insert(rs.begin(), ns_res("c1"));
  create_all(rs);
  expect_no_plan(rs);
  EXPECT_NE(sh_out(std::string("ip -n c1 neigh show dev ") + kVx).find("10.50.2.0 lladdr 0a:58:0a:32:02:00 PERMANENT"),
            std::string::npos);
  EXPECT_EQ(sh_out(std::string("ip neigh show nud permanent")), "") << "nothing in the host namespace";
  ASSERT_NO_THROW(k->remove(rs[4]));
  EXPECT_EQ(find(k->observe(), rs[4].key()), nullptr);
}

// Permanent entries on links that are not topo's VXLAN devices are never
// topo's: not read as owned, and never written to.
TEST_F(KernelNeighbour, OthersPermanentEntriesAreNotTopos) {
  create_all(wanted(""));
  ASSERT_EQ(sh("ip link add flannel.1 type vxlan id 7 dstport 8472 nolearning && ip link set flannel.1 up && "
               "ip neigh add 10.244.1.0 lladdr 02:00:00:00:00:07 dev flannel.1 nud permanent"),
            0);
  ASSERT_EQ(sh("ip link add uplink0 type veth peer name uplink1 && ip link set uplink0 up && "
               "ip neigh add 192.168.7.1 lladdr 02:00:00:00:00:08 dev uplink0 nud permanent"),
            0);
  create_all({bridge_res("br-web")});
  ASSERT_EQ(sh("ip neigh add 10.60.0.9 lladdr 02:00:00:00:00:09 dev br-web nud permanent"), 0);
  const Observed o = k->observe();
  std::vector<std::string> owned;
  for (const Resource& r : o.owned)
    if (r.kind == Kind::Neighbour) owned.push_back(r.key());
  EXPECT_EQ(owned, (std::vector<std::string>{std::string("neighbour /") + kVx + "/10.50.2.0",
                                             std::string("neighbour /") + kVx + "/fd00:50:2::"}));
  // A plan removes none of them, and topo writes no entry on others' links.
  std::vector<Resource> want = wanted("");
  want.push_back(bridge_res("br-web"));
  EXPECT_TRUE(make_plan(want, o).plan.empty());
  EXPECT_THROW(k->create(neigh_res("", "flannel.1", "10.244.2.0", "02:00:00:00:00:0a")), KernelError);
  EXPECT_THROW(k->create(neigh_res("", "br-web", "10.60.0.10", "02:00:00:00:00:0a")), KernelError)
      << "topo's, but no VXLAN device";
  EXPECT_EQ(sh_out("ip neigh show 10.244.2.0; ip neigh show 10.60.0.10"), "");
}

}  // namespace
}  // namespace topo::test
