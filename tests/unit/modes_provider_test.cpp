// Network modes, container extras and the macvlan/ipvlan provider: what they
// render from a loaded model (issue 3).
#include <gtest/gtest.h>

#include "providers/provider.hpp"
#include "reconciler/planner/dependencies.hpp"
#include "reconciler/planner/diff.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "tests/unit/render_test_util.hpp"
#include "tests/unit/owned_plan.hpp"

namespace topo {
using namespace topo::testing;

namespace {

using ModesRender = RenderTest;

TEST_F(ModesRender, EachModeGetsItsNetnsEntry) {
  auto rs = render(R"(version: 1
containers:
  - name: own
  - name: quiet
    network_mode: none
  - name: h
    network_mode: host
  - name: adopted
    netns: /proc/1/ns/net
  - name: side
    network_mode: container:own
)");
  const Resource* own = find(rs, "namespace /own");
  ASSERT_NE(own, nullptr) << keys(rs);
  EXPECT_EQ(own->attr(attr::lo), "up");
  EXPECT_EQ(own->attr(attr::mode), "");
  const Resource* quiet = find(rs, "namespace /quiet");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->attr(attr::lo), "up") << "none: own namespace with lo up";
  const Resource* h = find(rs, "namespace /h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->attr(attr::mode), "host");
  EXPECT_EQ(h->attr(attr::lo), "") << "the host's lo is never touched";
  EXPECT_TRUE(h->replace_on.count(attr::mode));
  const Resource* a = find(rs, "namespace /adopted");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->attr(attr::mode), "adopted:/proc/1/ns/net");
  EXPECT_EQ(a->attr(attr::lo), "");
  const Resource* side = find(rs, "namespace /side");
  ASSERT_NE(side, nullptr);
  EXPECT_EQ(side->attr(attr::mode), "container:own");
}

TEST_F(ModesRender, ContainerChainsResolveToTheNamespaceHolder) {
  auto rs = render(R"(version: 1
containers:
  - name: a-joiner
    network_mode: container:b-middle
  - name: b-middle
    network_mode: container:c-root
  - name: c-root
)");
  ASSERT_NE(find(rs, "namespace /a-joiner"), nullptr) << keys(rs);
  EXPECT_EQ(find(rs, "namespace /a-joiner")->attr(attr::mode), "container:c-root");
  EXPECT_EQ(find(rs, "namespace /b-middle")->attr(attr::mode), "container:c-root");
}

TEST_F(ModesRender, JoinersAreMadeAfterAndRemovedBeforeTheirTarget) {
  Resource root{Kind::Namespace, "", "z-root", {{attr::lo, "up"}}, {}, ""};
  Resource joiner{Kind::Namespace, "", "a-side", {{attr::mode, "container:z-root"}}, {}, ""};
  Resource host{Kind::Namespace, "", "b-host", {{attr::mode, "host"}}, {}, ""};
  EXPECT_TRUE(dependency_less(root, joiner)) << "a joiner's entry binds its target's: made after it";
  EXPECT_FALSE(dependency_less(joiner, root));
  EXPECT_TRUE(dependency_less(host, root)) << "other entries sort by name as before";
  auto plan = testing::make_owned_plan({joiner, root}, Observed{}).plan;
  ASSERT_EQ(plan.actions.size(), 2u);
  EXPECT_EQ(plan.actions[0].after().name, "z-root");
  auto teardown = testing::make_owned_plan({}, Observed{{root, joiner}, {}}).plan;
  ASSERT_EQ(teardown.actions.size(), 2u);
  EXPECT_EQ(teardown.actions[0].before().name, "a-side") << "the joiner's entry goes first";
}

TEST_F(ModesRender, OwnAndSharedEntriesReplaceEachOther) {
  Resource own{Kind::Namespace, "", "c", {{attr::lo, "up"}}, {}, ""};
  Resource host{Kind::Namespace, "", "c", {{attr::mode, "host"}}, {attr::mode}, ""};
  auto to_host = testing::make_owned_plan({host}, Observed{{own}, {}}).plan;
  ASSERT_EQ(to_host.actions.size(), 1u);
  EXPECT_EQ(to_host.actions[0].type, ActionType::Replace);
  Resource stale = host;
  stale.attrs[attr::mode] = std::string("host") + ns_mode::stale_suffix;
  auto fix = testing::make_owned_plan({host}, Observed{{stale}, {}}).plan;
  ASSERT_EQ(fix.actions.size(), 1u) << "an entry that no longer binds the host's namespace is made again";
  EXPECT_EQ(fix.actions[0].type, ActionType::Replace);
  EXPECT_TRUE(testing::make_owned_plan({host}, Observed{{host}, {}}).plan.empty());
}

TEST_F(ModesRender, RoutesAndSysctlsLiveInTheContainerNamespace) {
  auto rs = render(R"(version: 1
networks:
  - name: n1
    subnet: 10.1.0.0/24
containers:
  - name: c1
    routes:
      - {dst: 192.168.50.0/24, via: 10.1.0.254}
      - {dst: "fd00:50::/64", via: "fd00::1"}
    sysctls:
      net.ipv4.conf.all.forwarding: "1"
attachments:
  - container: c1
    network: n1
)");
  const Resource* rt = find(rs, "route c1/192.168.50.0/24");
  ASSERT_NE(rt, nullptr) << keys(rs);
  EXPECT_EQ(rt->attr(attr::via), "10.1.0.254");
  ASSERT_NE(find(rs, "route c1/fd00:50::/64"), nullptr) << keys(rs);
  const Resource* sc = find(rs, "sysctl c1/net.ipv4.conf.all.forwarding");
  ASSERT_NE(sc, nullptr) << keys(rs);
  EXPECT_EQ(sc->attr(attr::value), "1");
}

TEST_F(ModesRender, MacvlanAttachmentIsASubInterfaceWithRouteViaTheOutsideGateway) {
  auto rs = render(R"(version: 1
networks:
  - name: lan
    driver: macvlan
    parent: eth9
    mode: private
    mtu: 1400
    subnet: 192.168.7.0/24
    gateway: 192.168.7.254
containers:
  - name: m1
attachments:
  - container: m1
    network: lan
)");
  const Resource* link = find(rs, "link m1/eth0");
  ASSERT_NE(link, nullptr) << keys(rs);
  EXPECT_EQ(link->attr(attr::type), "macvlan");
  EXPECT_EQ(link->attr(attr::parent), "eth9");
  EXPECT_EQ(link->attr(attr::link_mode), "private");
  EXPECT_EQ(link->attr(attr::mtu), "1400");
  EXPECT_EQ(link->attr(attr::mac), "02:42:c0:a8:07:01");
  EXPECT_TRUE(link->replace_on.count(attr::parent));
  EXPECT_TRUE(link->replace_on.count(attr::link_mode));
  ASSERT_NE(find(rs, "address m1/eth0/192.168.7.1/24"), nullptr) << keys(rs);
  const Resource* rt = find(rs, "route m1/default");
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->attr(attr::via), "192.168.7.254");
  for (const auto& r : rs)
    EXPECT_FALSE(r.ns.empty() && r.kind != Kind::Namespace) << "nothing on the host side: " << r.key();
}

TEST_F(ModesRender, IpvlanSharesTheParentMacAndL3RoutesByDevice) {
  auto rs = render(R"(version: 1
networks:
  - name: l2net
    driver: ipvlan
    parent: eth9
    subnet: 10.2.0.0/24
  - name: l3net
    driver: ipvlan
    parent: eth9
    mode: l3
    subnet: 10.3.0.0/24
containers:
  - name: a
  - name: b
attachments:
  - {container: a, network: l2net}
  - {container: b, network: l3net}
)");
  const Resource* a = find(rs, "link a/eth0");
  ASSERT_NE(a, nullptr) << keys(rs);
  EXPECT_EQ(a->attr(attr::type), "ipvlan");
  EXPECT_EQ(a->attr(attr::link_mode), "l2");
  EXPECT_EQ(a->attr(attr::mac), "") << "ipvlan slaves share the parent's MAC";
  EXPECT_EQ(find(rs, "route a/default")->attr(attr::via), "10.2.0.1");
  const Resource* rb = find(rs, "route b/default");
  ASSERT_NE(rb, nullptr);
  EXPECT_EQ(rb->attr(attr::via), "") << "l3: no neighbour discovery towards the gateway";
  EXPECT_EQ(rb->attr(attr::dev), "eth0");
}

TEST_F(ModesRender, DualStackBridgeGetsBothGatewaysAndBothDefaultRoutes) {
  auto rs = render(R"(version: 1
networks:
  - name: ds
    subnets:
      - subnet: 172.30.0.0/24
      - subnet: "fd00:30::/64"
containers:
  - name: c1
attachments:
  - {container: c1, network: ds}
)");
  EXPECT_NE(find(rs, "address /br-ds/172.30.0.1/24"), nullptr) << keys(rs);
  EXPECT_NE(find(rs, "address /br-ds/fd00:30::1/64"), nullptr) << keys(rs);
  EXPECT_NE(find(rs, "address c1/eth0/172.30.0.2/24"), nullptr) << keys(rs);
  EXPECT_NE(find(rs, "address c1/eth0/fd00:30::2/64"), nullptr) << keys(rs);
  ASSERT_NE(find(rs, "route c1/default6"), nullptr) << keys(rs);
  EXPECT_EQ(find(rs, "route c1/default6")->attr(attr::via), "fd00:30::1");
}

TEST_F(ModesRender, SecondAttachmentKeepsTheFirstsAddressAndItsDefaultRoute) {
  const std::string base = R"(version: 1
networks:
  - {name: network01, subnet: 172.10.0.0/24}
  - {name: network02, subnet: 172.20.0.0/24}
containers:
  - name: c1
  - name: c2
attachments:
  - {container: c1, network: network01, interface: eth0}
  - {container: c2, network: network02, interface: eth0}
)";
  auto before = render(base);
  auto after = render(base + "  - {container: c1, network: network02, interface: eth1}\n");
  ASSERT_NE(find(after, "address c1/eth0/172.10.0.2/24"), nullptr) << keys(after);
  ASSERT_NE(find(before, "address c1/eth0/172.10.0.2/24"), nullptr) << keys(before);
  ASSERT_NE(find(after, "link c1/eth1"), nullptr) << keys(after);
  ASSERT_NE(find(after, "route c1/default"), nullptr);
  EXPECT_EQ(find(after, "route c1/default")->attr(attr::dev), "eth0") << "the lowest interface name";
  EXPECT_EQ(find(after, "route c1/default6"), nullptr);
  int defaults = 0;
  for (const auto& r : after) defaults += r.ns == "c1" && r.kind == Kind::Route;
  EXPECT_EQ(defaults, 1) << "one default route per family, on one attachment";
}

}  // namespace
}  // namespace topo
