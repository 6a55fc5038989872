// The topology as inspect and graph show it (reconciler/view/), made from
// manifests through the loader and IPAM, without a kernel: members with the
// addresses, MACs and host veths the providers use, a container's namespace,
// routes, ports with the host port in force, and its hosts file's entries.
#include "reconciler/view/topology_view.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "providers/bridge/bridge_provider.hpp"
#include "providers/files/files_provider.hpp"
#include "reconciler/ipam/host_ports.hpp"
#include "reconciler/ipam/veth_names.hpp"
#include "reconciler/model/slice.hpp"
#include "reconciler/view/inspect_format.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

class TopologyViewTest : public LoaderTest {
 protected:
  // Load, then allocate as the pipeline does (addresses and MACs, host veth
  // names, chosen host ports), and make the view.
  view::TopologyView view(const std::string& yaml, const std::string& node = "") {
    LoadResult r = load_text(yaml);
    EXPECT_TRUE(r.ok()) << dump(r);
    desired_ = r.desired;
    if (!node.empty()) {
      NodeSelection sel = select_node(r.desired, node);
      EXPECT_EQ(sel.error, "");
      desired_ = sel.desired;
    }
    auto ipam = allocate(desired_, {}, {});
    EXPECT_TRUE(ipam.errors.empty()) << (ipam.errors.empty() ? "" : ipam.errors.front());
    allocations_ = ipam.allocations;
    EXPECT_TRUE(assign_host_veth_names(desired_, {}, {}, allocations_).errors.empty());
    EXPECT_TRUE(assign_host_ports(desired_, {}, {}, HostPortFacts{}, allocations_).errors.empty());
    return view::view_of(desired_, allocations_, "/run/netns");
  }

  Desired desired_;
  Allocations allocations_;
};

const char* kWeb = R"(version: 1
networks:
  - name: front
    subnet: 172.30.40.0/24
    icc: false
containers:
  - name: web
    ports: ["8080:80", "443", "127.0.0.1::53/udp"]
    routes:
      - {dst: 10.9.0.0/16, via: 172.30.40.254}
    dns: [10.0.0.2]
    dns_search: [example.com]
    extra_hosts: ["mirror:10.1.2.3"]
    links: ["db:database"]
  - name: db
  - name: sidecar
    network_mode: container:web
attachments:
  - container: web
    network: front
  - container: db
    network: front
    ipv4: 172.30.40.100
    aliases: [store]
)";

TEST_F(TopologyViewTest, BridgeNetworkHasItsSubnetOptionsAndMembersAsTheProvidersMakeThem) {
  const view::TopologyView v = view(kWeb);
  const view::NetworkView* n = v.network("front");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->driver, "bridge");
  EXPECT_EQ(n->stack, "default");
  ASSERT_EQ(n->subnets.size(), 1u);
  EXPECT_EQ(n->subnets[0].subnet, "172.30.40.0/24");
  EXPECT_EQ(n->subnets[0].gateway, "172.30.40.1");
  EXPECT_EQ(n->subnets[0].ip_range, "");
  EXPECT_EQ(n->mtu, 1500);
  EXPECT_EQ(n->host_bridge, "br-front");
  EXPECT_EQ(n->parent, "");
  const std::vector<std::pair<std::string, std::string>> options{
      {"bridge", "br-front"}, {"icc", "false"}, {"masquerade", "true"}, {"isolated", "true"}, {"routed", "false"}};
  EXPECT_EQ(n->options, options);

  // By container name: db before web.
  ASSERT_EQ(n->members.size(), 2u);
  const view::MemberView& db = n->members[0];
  const view::MemberView& web = n->members[1];
  EXPECT_EQ(db.container, "db");
  EXPECT_EQ(db.interface, "eth0");
  EXPECT_EQ(db.ipv4, "172.30.40.100");
  EXPECT_EQ(db.ipv4_prefix, 24);
  EXPECT_EQ(db.ipv6, "");
  EXPECT_EQ(db.mac, "02:42:ac:1e:28:64");  // derived from the address, as Docker does
  EXPECT_EQ(db.aliases, std::vector<std::string>{"store"});
  EXPECT_TRUE(db.default_route);
  EXPECT_EQ(web.container, "web");
  EXPECT_EQ(web.ipv4, "172.30.40.2");  // the first free address after the gateway
  EXPECT_EQ(web.mac, allocations_.at("front/web/eth0").mac);
  EXPECT_EQ(web.host_veth, allocations_.at("front/web/eth0").host_veth);
  EXPECT_EQ(web.host_veth, derive_host_veth_name("web", "eth0"));
}

TEST_F(TopologyViewTest, DriverQuestionsForVerifyFollowIccAndIsolated) {
  const auto web = view(kWeb);
  EXPECT_FALSE(desired_.network("front")->driver_settings().members_reach_each_other());
  EXPECT_TRUE(desired_.network("front")->driver_settings().isolated());
  EXPECT_FALSE(web.network("front")->members_reach_each_other);
  EXPECT_TRUE(web.network("front")->isolated);
  const auto open = view(R"(networks:
  - {name: open, subnet: 172.30.41.0/24, isolated: false}
)");
  EXPECT_TRUE(desired_.network("open")->driver_settings().members_reach_each_other());
  EXPECT_FALSE(desired_.network("open")->driver_settings().isolated());
  EXPECT_TRUE(open.network("open")->members_reach_each_other);
  EXPECT_FALSE(open.network("open")->isolated);
}

TEST_F(TopologyViewTest, ContainerHasItsNamespaceRoutesPortsDnsAndLinks) {
  const view::TopologyView v = view(kWeb);
  const view::ContainerView* web = v.container("web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->mode, "default");
  EXPECT_EQ(web->netns, "/run/netns/web");
  EXPECT_FALSE(web->adopted);
  EXPECT_EQ(web->hostname, "web");
  ASSERT_EQ(web->interfaces.size(), 1u);
  EXPECT_EQ(web->interfaces[0].network, "front");
  EXPECT_EQ(web->interfaces[0].ipv4, "172.30.40.2");

  ASSERT_EQ(web->routes.size(), 2u);
  EXPECT_EQ(web->routes[0].destination, "default");
  EXPECT_EQ(web->routes[0].via, "172.30.40.1");
  EXPECT_EQ(web->routes[0].interface, "eth0");
  EXPECT_EQ(web->routes[1].destination, "10.9.0.0/16");
  EXPECT_EQ(web->routes[1].via, "172.30.40.254");

  ASSERT_EQ(web->ports.size(), 3u);
  EXPECT_EQ(web->ports[0].host_port, 8080);
  EXPECT_FALSE(web->ports[0].host_port_chosen);
  EXPECT_EQ(web->ports[0].container_port, 80);
  EXPECT_EQ(web->ports[0].protocol, "tcp");
  // Left out: the one IPAM chose, the lowest of the ephemeral range first.
  EXPECT_TRUE(web->ports[1].host_port_chosen);
  EXPECT_EQ(web->ports[1].host_port, kEphemeralLow);
  EXPECT_EQ(web->ports[1].container_port, 443);
  EXPECT_EQ(web->ports[2].host_ip, "127.0.0.1");
  EXPECT_EQ(web->ports[2].protocol, "udp");
  EXPECT_EQ(web->ports[2].host_port,
            allocations_.at(host_port_key("web", desired_.container("web")->ports[2])).host_port);
  EXPECT_GE(web->ports[2].host_port, kEphemeralLow);

  EXPECT_EQ(web->dns, std::vector<std::string>{"10.0.0.2"});
  EXPECT_EQ(web->dns_search, std::vector<std::string>{"example.com"});
  ASSERT_EQ(web->links.size(), 1u);
  EXPECT_EQ(web->links[0], (std::pair<std::string, std::string>{"db", "database"}));
}

// Each entry is a line render_hosts writes, in the file's order.
TEST_F(TopologyViewTest, HostsEntriesAreTheLinesOfTheHostsFile) {
  const view::TopologyView v = view(kWeb);
  const view::ContainerView* web = v.container("web");
  ASSERT_NE(web, nullptr);
  std::vector<std::string> lines;
  for (const auto& h : web->hosts) {
    std::string line = h.part + ": " + h.address;
    for (const auto& n : h.names) line += " " + n;
    lines.push_back(line);
  }
  const std::vector<std::string> want{
      "this container: 172.30.40.2 web",
      "extra_hosts: 10.1.2.3 mirror",
      "links: 172.30.40.100 database db",
      "network front: 172.30.40.100 db store db.front store.front",
  };
  EXPECT_EQ(lines, want);
  // And the file itself holds each of them.
  const std::string file = render_hosts(*desired_.container("web"), RenderContext{desired_, allocations_, ""});
  for (const auto& h : web->hosts) {
    std::string text = h.address + "\t";
    for (std::size_t i = 0; i < h.names.size(); ++i) text += (i ? " " : "") + h.names[i];
    EXPECT_NE(file.find(text + "\n"), std::string::npos) << text << "\n" << file;
  }
}

TEST_F(TopologyViewTest, AJoinerSharesItsTargetsNamespaceAndFiles) {
  const view::TopologyView v = view(kWeb);
  const view::ContainerView* sidecar = v.container("sidecar");
  ASSERT_NE(sidecar, nullptr);
  EXPECT_EQ(sidecar->mode, "container");
  EXPECT_EQ(sidecar->mode_target, "web");
  EXPECT_EQ(sidecar->netns, "/run/netns/web");
  EXPECT_TRUE(sidecar->interfaces.empty());
  EXPECT_TRUE(sidecar->routes.empty());
  EXPECT_EQ(sidecar->dns, std::vector<std::string>{"10.0.0.2"});
  ASSERT_FALSE(sidecar->hosts.empty());
  EXPECT_EQ(sidecar->hosts[0].names, std::vector<std::string>{"web"});
}

TEST_F(TopologyViewTest, HostAndAdoptedNamespaces) {
  const view::TopologyView v = view(R"(containers:
  - {name: h, network_mode: host}
  - {name: held, netns: /proc/4242/ns/net}
  - {name: quiet, network_mode: none}
)");
  const view::ContainerView* h = v.container("h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->mode, "host");
  EXPECT_EQ(h->netns, "");
  EXPECT_TRUE(h->hosts.empty());  // it uses the host's /etc
  const view::ContainerView* held = v.container("held");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->netns, "/proc/4242/ns/net");
  EXPECT_TRUE(held->adopted);
  const view::ContainerView* quiet = v.container("quiet");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->mode, "none");
  EXPECT_EQ(quiet->netns, "/run/netns/quiet");
  // Without an address, its own name still resolves to 127.0.1.1.
  ASSERT_EQ(quiet->hosts.size(), 1u);
  EXPECT_EQ(quiet->hosts[0].address, "127.0.1.1");
}

// The route goes where the bridge provider sends it: a router on the bridge.
TEST_F(TopologyViewTest, DefaultRouteFollowsTheBridgesDefaultGateway) {
  const view::TopologyView v = view(R"(networks:
  - {name: lan, subnet: 172.30.42.0/24, default_gateway: 172.30.42.254}
containers:
  - name: c
attachments:
  - {container: c, network: lan}
)");
  const view::ContainerView* c = v.container("c");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->routes.size(), 1u);
  EXPECT_EQ(c->routes[0].via, "172.30.42.254");
  const view::NetworkView* lan = v.network("lan");
  ASSERT_NE(lan, nullptr);
  ASSERT_FALSE(lan->options.empty());
  EXPECT_EQ(lan->options.back(), (std::pair<std::string, std::string>{"default_gateway", "172.30.42.254"}));
}

TEST_F(TopologyViewTest, IpvlanMembersHaveNoMacOfTheirOwnMacvlanOnesDo) {
  const view::TopologyView v = view(R"(networks:
  - {name: iv, driver: ipvlan, parent: eth9, mode: l3, subnet: 192.168.90.0/24}
  - {name: mv, driver: macvlan, parent: eth8, subnet: 192.168.80.0/24}
containers:
  - name: c
attachments:
  - {container: c, network: iv, interface: eth0}
  - {container: c, network: mv, interface: eth1}
)");
  const view::NetworkView* iv = v.network("iv");
  const view::NetworkView* mv = v.network("mv");
  ASSERT_NE(iv, nullptr);
  ASSERT_NE(mv, nullptr);
  EXPECT_EQ(iv->parent, "eth9");
  EXPECT_EQ(iv->host_bridge, "");
  EXPECT_EQ(iv->options, (std::vector<std::pair<std::string, std::string>>{{"parent", "eth9"}, {"mode", "l3"}}));
  ASSERT_EQ(iv->members.size(), 1u);
  EXPECT_EQ(iv->members[0].mac, "");
  EXPECT_EQ(iv->members[0].host_veth, "");
  ASSERT_EQ(mv->members.size(), 1u);
  EXPECT_EQ(mv->members[0].mac, "02:42:c0:a8:50:02");
  EXPECT_EQ(mv->options, (std::vector<std::pair<std::string, std::string>>{{"parent", "eth8"}, {"mode", "bridge"}}));
  // ipvlan l3: the default route points at the device, no gateway.
  const view::ContainerView* c = v.container("c");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->routes.size(), 1u);
  EXPECT_EQ(c->routes[0].interface, "eth0");
  EXPECT_EQ(c->routes[0].via, "");
}

TEST_F(TopologyViewTest, P2pHasNoGatewayNoBridgeAndNoDefaultRoute) {
  const view::TopologyView v = view(R"(networks:
  - {name: wire, driver: p2p, subnet: 10.77.0.0/30}
containers:
  - name: left
  - name: right
attachments:
  - {container: left, network: wire}
  - {container: right, network: wire}
)");
  const view::NetworkView* wire = v.network("wire");
  ASSERT_NE(wire, nullptr);
  ASSERT_EQ(wire->subnets.size(), 1u);
  EXPECT_EQ(wire->subnets[0].gateway, "");
  EXPECT_TRUE(wire->options.empty());
  ASSERT_EQ(wire->members.size(), 2u);
  EXPECT_EQ(wire->members[0].host_veth, "");
  EXPECT_NE(wire->members[0].mac, "");
  EXPECT_EQ(wire->members[0].ipv4_prefix, 30);
  EXPECT_TRUE(v.container("left")->routes.empty());
}

const char* kOverlay = R"(version: 1
hosts:
  - {name: a, address: 10.99.0.1}
  - {name: b, address: 10.99.0.2}
networks:
  - {name: backend, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}
  - {name: local-b, subnet: 172.30.50.0/24}
containers:
  - {name: web-a, node: a}
  - {name: db-b, node: b}
attachments:
  - {container: web-a, network: backend, ipv4: 10.50.0.11}
  - {container: db-b, network: backend, interface: eth0, ipv4: 10.50.0.20}
  - {container: db-b, network: local-b, interface: eth1}
)";

// On node a, db-b lives elsewhere: it shows with its static address and the
// MAC every node derives from it; a bridge member there without a static
// address shows without one.
TEST_F(TopologyViewTest, MembersOnOtherNodesShowWhatEveryNodeKnows) {
  const view::TopologyView v = view(kOverlay, "a");
  EXPECT_EQ(v.node, "a");
  ASSERT_EQ(v.hosts.size(), 2u);
  EXPECT_EQ(v.hosts[1].name, "b");
  EXPECT_EQ(v.hosts[1].address, "10.99.0.2");
  const view::NetworkView* backend = v.network("backend");
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->mtu, 1450);
  const std::vector<std::pair<std::string, std::string>> options{{"bridge", "br-backend"}, {"icc", "true"},
                                                                 {"masquerade", "true"},   {"isolated", "true"},
                                                                 {"vni", "4242"},          {"port", "4789"}};
  EXPECT_EQ(backend->options, options);
  ASSERT_EQ(backend->members.size(), 2u);
  EXPECT_EQ(backend->members[0].container, "db-b");
  EXPECT_EQ(backend->members[0].node, "b");
  EXPECT_EQ(backend->members[0].ipv4, "10.50.0.20");
  EXPECT_EQ(backend->members[0].mac, "02:42:0a:32:00:14");
  EXPECT_EQ(backend->members[1].node, "a");
  const view::NetworkView* local = v.network("local-b");
  ASSERT_NE(local, nullptr);
  ASSERT_EQ(local->members.size(), 1u);
  EXPECT_EQ(local->members[0].ipv4, "");
  EXPECT_EQ(local->members[0].mac, "");
  const view::ContainerView* db = v.container("db-b");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->node, "b");
  ASSERT_EQ(db->interfaces.size(), 2u);
  EXPECT_EQ(db->interfaces[0].interface, "eth0");
  EXPECT_EQ(db->interfaces[1].interface, "eth1");
}

TEST_F(TopologyViewTest, LookupsByName) {
  const view::TopologyView v = view(kWeb);
  EXPECT_EQ(v.network("nope"), nullptr);
  EXPECT_EQ(v.container("nope"), nullptr);
  ASSERT_EQ(v.containers.size(), 3u);
  EXPECT_EQ(v.containers[0].name, "db");
  EXPECT_EQ(v.containers[2].name, "web");
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

// Every example, as its first node sees it: each attachment is a member of
// its network and an interface of its container, with the address IPAM gave
// it; inspect's JSON of each object is one document of format_version 1.
TEST(TopologyViewExamples, EveryAttachmentOfEveryExampleShowsOnBothSides) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TOPO_EXAMPLES)) {
    if (!entry.is_directory() || entry.path().filename() == "cluster") continue;  // cluster: etcd's
    SCOPED_TRACE(entry.path().filename().string());
    LoadResult r = load_manifests({entry.path().string()});
    ASSERT_TRUE(r.ok());
    Desired d = r.desired;
    if (!d.hosts.empty()) d = select_node(d, d.hosts.front().name).desired;
    const auto ipam = allocate(d, {}, {});
    const view::TopologyView v = view::view_of(d, ipam.allocations, "/run/netns");
    for (const Attachment& att : d.attachments) {
      const view::NetworkView* n = v.network(att.network);
      const view::ContainerView* c = v.container(att.container);
      ASSERT_NE(n, nullptr) << att.network;
      ASSERT_NE(c, nullptr) << att.container;
      auto same = [&](const view::MemberView& m) {
        return m.container == att.container && m.interface == att.interface;
      };
      const auto member = std::find_if(n->members.begin(), n->members.end(), same);
      ASSERT_NE(member, n->members.end()) << att.container << "/" << att.interface;
      EXPECT_NE(std::find_if(c->interfaces.begin(), c->interfaces.end(), same), c->interfaces.end());
      const Allocation& a = ipam.allocations.at(attachment_key(att));
      EXPECT_EQ(member->ipv4, a.ipv4 ? a.ipv4->str() : "");
      EXPECT_EQ(member->ipv6, a.ipv6 ? a.ipv6->str() : "");
      ++seen;
    }
    for (const auto& n : v.networks)
      EXPECT_EQ(nlohmann::json::parse(view::format_network_json(n)).at("format_version"), 1);
    for (const auto& c : v.containers)
      EXPECT_EQ(nlohmann::json::parse(view::format_container_json(c)).at("format_version"), 1);
  }
  EXPECT_GT(seen, 10);
}

}  // namespace
}  // namespace topo::testing
