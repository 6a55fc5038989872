// Focused passes (issue 16): which resources are about which container, and
// which pass a kernel event asks for. Pure: rendered from real manifests.
#include <gtest/gtest.h>

#include "reconciler/planner/focus.hpp"
#include "reconciler/resources/ownership.hpp"
#include "reconciler/watcher/event_scope.hpp"
#include "tests/unit/render_test_util.hpp"

namespace topo {
using namespace topo::testing;

namespace {

constexpr const char* kModel = R"(version: 1
networks:
  - name: web
    subnet: 10.60.0.0/24
  - name: wire
    driver: p2p
    subnet: 10.61.0.0/30
containers:
  - name: a
    ports: ["8080:80"]
  - name: b
  - name: c
attachments:
  - container: a
    network: web
  - container: b
    network: web
    interface: eth0
  - container: b
    network: wire
    interface: p0
  - container: c
    network: wire
)";

using Focus = RenderTest;

// How many of `rs` are about these containers.
size_t about(const std::vector<Resource>& rs, const std::set<std::string>& containers) {
  size_t n = 0;
  for (const Resource& r : rs) n += containers.count(container_of(r));
  return n;
}

TEST_F(Focus, EveryResourceIsAboutOneContainerOrShared) {
  auto rs = render(kModel);
  std::map<std::string, int> per;
  for (const Resource& r : rs) {
    const std::string c = container_of(r);
    per[c]++;
    if (r.kind == Kind::Firewall || r.kind == Kind::Fdb) {
      EXPECT_EQ(c, "") << r.key();
    }
    if (r.kind == Kind::Namespace) {
      EXPECT_EQ(c, r.name);
    }
    if (!r.ns.empty()) {
      EXPECT_EQ(c, r.ns) << r.key();
    }
  }
  EXPECT_EQ(container_of(*find(rs, "link /br-web")), "");
  EXPECT_EQ(container_of(*find(rs, "address /br-web/10.60.0.1/24")), "");
  // The host end's settings of a's veth are a's.
  const Resource* link = find(rs, "link a/eth0");
  ASSERT_NE(link, nullptr) << keys(rs);
  const std::string host_end = link->attr(attr::peer);
  int host_settings = 0;
  for (const Resource& r : rs)
    if (r.kind == Kind::Sysctl && r.ns.empty() && r.name.find(host_end) != std::string::npos) {
      EXPECT_EQ(container_of(r), "a") << r.key();
      ++host_settings;
    }
  EXPECT_GE(host_settings, 2) << keys(rs);
  EXPECT_GT(per["a"], 0);
  EXPECT_GT(per[""], 0);
}

TEST_F(Focus, AScopeTakesBothEndsOfAP2pPairAndTheHostEndsOfItsVeths) {
  auto rs = render(kModel);
  const FocusIndex index(rs);  // a copy
  FocusScope c_only = index.scope({"c"});
  EXPECT_EQ(c_only.containers, (std::set<std::string>{"b", "c"})) << "the pair's first end is in b";
  FocusScope a_only = index.scope({"a"});
  EXPECT_EQ(a_only.containers, (std::set<std::string>{"a"}));
  EXPECT_EQ(a_only.read.namespaces, (std::set<std::string>{"a"}));
  EXPECT_EQ(a_only.read.host_links, (std::set<std::string>{find(rs, "link a/eth0")->attr(attr::peer)}));
  // b's p2p far end is in c's namespace, not on the host.
  FocusScope b = index.scope({"b"});
  EXPECT_EQ(b.read.host_links.size(), 1u) << "only b's bridge veth has a host end";

  const std::vector<Resource> mine = index.resources(a_only.containers);
  EXPECT_EQ(mine.size(), about(rs, a_only.containers));
  for (const Resource& r : mine) EXPECT_EQ(container_of(r), "a") << r.key();
  EXPECT_NE(find(mine, "route a/default"), nullptr);
  EXPECT_EQ(find(mine, "route b/default"), nullptr);

  Observed o;
  o.owned = rs;
  o.held_resources = rs;
  keep_focus(o, {"b", "c"});
  for (const Resource& r : o.owned) EXPECT_TRUE(container_of(r) == "b" || container_of(r) == "c") << r.key();
  EXPECT_EQ(o.owned.size(), about(rs, {"b", "c"}));
  EXPECT_EQ(o.held_resources.size(), o.owned.size());
}

using watcher::EventScope;
using watcher::KernelEvent;
using watcher::Wake;

KernelEvent link_event(const std::string& name, bool deleted = false) {
  KernelEvent e;
  e.what = KernelEvent::What::Link;
  e.name = name;
  e.deleted = deleted;
  e.ifindex = 7;
  return e;
}

KernelEvent on_device(KernelEvent::What what, int ifindex) {
  KernelEvent e;
  e.what = what;
  e.ifindex = ifindex;
  return e;
}

std::string no_name(int) { return ""; }

TEST_F(Focus, EventsOnAContainersObjectsAskForAPassOverIt) {
  auto rs = render(kModel);
  EventScope scope(rs);
  const std::string host_end = find(rs, "link a/eth0")->attr(attr::peer);
  Wake w = scope.in_host(link_event(host_end, /*deleted=*/true), no_name);
  EXPECT_FALSE(w.full);
  EXPECT_EQ(w.containers, (std::set<std::string>{"a"}));
  // An address or route on it, known by index only.
  w = scope.in_host(on_device(KernelEvent::What::Address, 9), [&](int i) { return i == 9 ? host_end : ""; });
  EXPECT_EQ(w.containers, (std::set<std::string>{"a"}));
  // Inside the container: its own link, an address, a route.
  EXPECT_EQ(scope.in_namespace("b", link_event("p0")).containers, (std::set<std::string>{"b"}));
  EXPECT_EQ(scope.in_namespace("b", on_device(KernelEvent::What::Route, 3)).containers,
            (std::set<std::string>{"b"}));
  KernelEvent lo = link_event("lo");
  lo.alias = std::string(ownership::kNamespaceAliasPrefix) + "b";
  EXPECT_EQ(scope.in_namespace("b", lo).containers, (std::set<std::string>{"b"})) << "lo is part of the namespace";
  // The netns entry or the per-container files.
  EXPECT_EQ(scope.netns_entry("c").containers, (std::set<std::string>{"c"}));
  EXPECT_EQ(scope.etc_files("a").containers, (std::set<std::string>{"a"}));
  // A neighbour entry in a container that has a VXLAN device of topo's.
  rs.push_back(Resource{Kind::Link, "c", "vx0", {{attr::type, "vxlan"}}, {}, "attachment/c/vx0"});
  EXPECT_EQ(EventScope(rs).in_namespace("c", on_device(KernelEvent::What::Neighbour, 7)).containers,
            (std::set<std::string>{"c"}));
}

// The kernel tells of carrier and operstate changes long after the change
// (seconds, after thousands of links were made): a notification that shows
// a container's link as wanted asks for nothing; one that does not, for a
// pass over the container.
TEST_F(Focus, LinkNotificationsThatShowAContainersLinksAsWantedAskForNothing) {
  auto rs = render(kModel);
  EventScope scope(rs);
  const Resource& pair = *find(rs, "link a/eth0");
  KernelEvent host_end = link_event(pair.attr(attr::peer));
  host_end.alias = std::string(ownership::kPeerAliasPrefix) + "a/eth0";
  host_end.mtu = 1500;
  host_end.up = true;
  host_end.master = 4;
  auto bridge_is_4 = [](int i) { return i == 4 ? std::string("br-web") : std::string(); };
  EXPECT_FALSE(scope.in_host(host_end, bridge_is_4).any());
  KernelEvent detached = host_end;
  detached.master = 0;
  EXPECT_EQ(scope.in_host(detached, bridge_is_4).containers, (std::set<std::string>{"a"})) << "taken off its bridge";
  KernelEvent elsewhere = host_end;
  elsewhere.master = 9;
  EXPECT_EQ(scope.in_host(elsewhere, bridge_is_4).containers, (std::set<std::string>{"a"})) << "on another bridge";
  KernelEvent down = host_end;
  down.up = false;
  EXPECT_EQ(scope.in_host(down, bridge_is_4).containers, (std::set<std::string>{"a"}));
  KernelEvent small = host_end;
  small.mtu = 1400;
  EXPECT_EQ(scope.in_host(small, bridge_is_4).containers, (std::set<std::string>{"a"}));

  KernelEvent inside = link_event("eth0");
  inside.alias = std::string(ownership::kAliasPrefix) + "attachment/a/eth0";
  inside.mtu = 1500;
  inside.up = true;
  EXPECT_FALSE(scope.in_namespace("a", inside).any());
  KernelEvent gone = inside;
  gone.deleted = true;
  EXPECT_EQ(scope.in_namespace("a", gone).containers, (std::set<std::string>{"a"}));
  KernelEvent unmarked = inside;
  unmarked.alias.clear();
  EXPECT_EQ(scope.in_namespace("a", unmarked).containers, (std::set<std::string>{"a"})) << "a stranger took its name";
}

TEST_F(Focus, EventsOnWhatContainersShareAskForAFullPass) {
  auto rs = render(kModel);
  EventScope scope(rs);
  EXPECT_TRUE(scope.in_host(link_event("br-web", /*deleted=*/true), no_name).full);
  KernelEvent wrong_mtu = link_event("br-web");
  wrong_mtu.alias = std::string(ownership::kAliasPrefix) + "network/web";
  wrong_mtu.up = true;
  wrong_mtu.mtu = 1400;
  EXPECT_TRUE(scope.in_host(wrong_mtu, no_name).full);
  KernelEvent down = wrong_mtu;
  down.mtu = 1500;
  down.up = false;
  EXPECT_TRUE(scope.in_host(down, no_name).full);
  EXPECT_TRUE(scope.in_host(on_device(KernelEvent::What::Address, 4), [](int) { return "br-web"; }).full)
      << "the gateway address";
  EXPECT_TRUE(scope.in_host(on_device(KernelEvent::What::Netconf, 0), no_name).full) << "forwarding switched off";
  EXPECT_TRUE(scope.in_host(KernelEvent{}, no_name).full) << "a message that could not be read";
  EXPECT_TRUE(scope.netns_entry(".topo").full);
  // A forwarding entry on an overlay's VXLAN device is topo's.
  Resource vx{Kind::Link, "", "vx-web", {{attr::type, "vxlan"}}, {}, "network/web"};
  rs.push_back(vx);
  EXPECT_TRUE(EventScope(rs).in_host(on_device(KernelEvent::What::Fdb, 5), [](int) { return "vx-web"; }).full);
  // So is a permanent neighbour entry there (cluster mode's L3 VXLAN).
  EXPECT_TRUE(EventScope(rs).in_host(on_device(KernelEvent::What::Neighbour, 5), [](int) { return "vx-web"; }).full);
  // Before any model converged, everything asks for a full pass.
  EventScope none;
  EXPECT_TRUE(none.in_host(link_event("anything"), no_name).full);
  EXPECT_TRUE(none.in_namespace("a", link_event("eth0")).full);
}

TEST_F(Focus, EventsThatShowSharedObjectsAsWantedOrOthersObjectsAskForNothing) {
  auto rs = render(kModel);
  EventScope scope(rs);
  // A port joined the bridge: the bridge's own notification, as topo wants it.
  KernelEvent as_wanted = link_event("br-web");
  as_wanted.alias = std::string(ownership::kAliasPrefix) + "network/web";
  as_wanted.up = true;
  as_wanted.mtu = 1500;
  EXPECT_FALSE(scope.in_host(as_wanted, no_name).any());
  // Someone else's link, address, route or FDB entry on the host.
  EXPECT_FALSE(scope.in_host(link_event("docker0"), no_name).any());
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Address, 2), [](int) { return "eth0"; }).any());
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Route, 2), [](int) { return "eth0"; }).any());
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Fdb, 2), [](int) { return "docker0"; }).any());
  // What topo's bridge learns, on its ports or itself, whenever a container sends.
  const std::string host_end = find(rs, "link a/eth0")->attr(attr::peer);
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Fdb, 3), [&](int) { return host_end; }).any());
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Fdb, 3), [](int) { return "br-web"; }).any());
  EXPECT_FALSE(scope.in_namespace("a", on_device(KernelEvent::What::Fdb, 3)).any());
  // A static ARP entry on someone else's link or on topo's bridge: not where topo puts them.
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Neighbour, 2), [](int) { return "eth0"; }).any());
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Neighbour, 3), [](int) { return "br-web"; }).any());
  EXPECT_FALSE(scope.in_namespace("a", on_device(KernelEvent::What::Neighbour, 3)).any()) << "no VXLAN device in a";
  EXPECT_FALSE(scope.in_host(on_device(KernelEvent::What::Route, 0), no_name).any()) << "no device at all";
  // A namespace or /etc/netns directory topo does not manage.
  EXPECT_FALSE(scope.netns_entry("someone-elses").any());
  EXPECT_FALSE(scope.etc_files("someone-elses").any());
  // Someone else's link inside a managed container.
  EXPECT_FALSE(scope.in_namespace("a", link_event("tap9")).any());
  // ...unless it takes a name topo wants there.
  EXPECT_EQ(scope.in_namespace("a", link_event("eth0")).containers, (std::set<std::string>{"a"}));
  // A link with topo's mark that the model does not want (an orphan) is topo's to remove.
  KernelEvent orphan = link_event("vethdead");
  orphan.group = ownership::kLinkGroup;
  EXPECT_TRUE(scope.in_host(orphan, no_name).full);
}

}  // namespace
}  // namespace topo
