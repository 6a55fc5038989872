// What the picture holds, element by element: the clusters that keep it
// readable, the edges of each kind, a host picked with --node.
#include <gtest/gtest.h>

#include <algorithm>

#include "reconciler/graph/graph_model.hpp"
#include "tests/unit/graph_views.hpp"

namespace topo::graph {
namespace {

const Node* node(const Graph& g, const std::string& id) {
  for (const auto& n : g.nodes)
    if (n.id == id) return &n;
  return nullptr;
}

std::vector<const Edge*> edges(const Graph& g, EdgeKind kind) {
  std::vector<const Edge*> out;
  for (const auto& e : g.edges)
    if (e.kind == kind) out.push_back(&e);
  return out;
}

std::string cluster_of(const Graph& g, const std::string& id) {
  const Node* n = node(g, id);
  return n ? n->cluster : "<no such node>";
}

}  // namespace

TEST(GraphModel, OneHostIsClusteredPerNetworkWithJoinersBesideTheirTarget) {
  Graph g = graph_of(testing::bridge_view());
  ASSERT_EQ(g.clusters.size(), 1u);
  EXPECT_EQ(g.clusters[0].id, "cluster:network:network01");
  EXPECT_EQ(cluster_of(g, "network:network01"), "cluster:network:network01");
  EXPECT_EQ(cluster_of(g, "container:c1"), "cluster:network:network01");
  EXPECT_EQ(cluster_of(g, "container:sidecar"), "cluster:network:network01");
  EXPECT_EQ(cluster_of(g, "container:monitor"), "");  // the host's namespace: no network of its own
  EXPECT_FALSE(g.live);
  for (const auto& n : g.nodes) EXPECT_EQ(n.state, LiveState::None) << n.id;
}

TEST(GraphModel, BridgeEdgesSayInterfaceAddressPortJoinAndLink) {
  Graph g = graph_of(testing::bridge_view());
  auto attachments = edges(g, EdgeKind::Attachment);
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[0]->from, "container:c1");
  EXPECT_EQ(attachments[0]->to, "network:network01");
  EXPECT_EQ(attachments[0]->label, (std::vector<std::string>{"eth0", "172.10.0.2/24"}));
  EXPECT_EQ(attachments[0]->fields["ipv4_prefix"], 24);

  auto ports = edges(g, EdgeKind::Port);
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0]->from, "host");
  EXPECT_EQ(ports[0]->label, (std::vector<std::string>{"0.0.0.0:8080 -> 80/tcp"}));
  EXPECT_EQ(ports[1]->label, (std::vector<std::string>{"127.0.0.1:49153 -> 53/udp"}));
  EXPECT_EQ(ports[1]->fields["host_port_chosen"], true);
  ASSERT_NE(node(g, "host"), nullptr);

  auto joins = edges(g, EdgeKind::Join);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0]->from, "container:sidecar");
  EXPECT_EQ(joins[0]->to, "container:c1");
  auto links = edges(g, EdgeKind::Link);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0]->to, "container:c1");
  EXPECT_EQ(links[0]->fields["alias"], "web");
  ASSERT_EQ(edges(g, EdgeKind::HostMode).size(), 1u);
}

TEST(GraphModel, MacvlanNetworkHangsOffItsParentInterface) {
  Graph g = graph_of(testing::macvlan_view());
  const Node* parent = node(g, "interface:eth0");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->kind, NodeKind::Interface);
  auto parents = edges(g, EdgeKind::Parent);
  ASSERT_EQ(parents.size(), 1u);
  EXPECT_EQ(parents[0]->from, "network:lan");
  EXPECT_EQ(parents[0]->to, "interface:eth0");
  // m1's default route leaves through the LAN: that is where it sits.
  EXPECT_EQ(cluster_of(g, "container:m1"), "cluster:network:lan");
  EXPECT_EQ(node(g, "host"), nullptr);  // nothing published, nothing in the host's namespace
}

TEST(GraphModel, HostsAreClustersAndOverlayTunnelsJoinEveryTwo) {
  Graph g = graph_of(testing::overlay_view());
  ASSERT_EQ(g.clusters.size(), 3u);
  EXPECT_EQ(cluster_of(g, "host:a"), "cluster:host:a");
  EXPECT_EQ(cluster_of(g, "container:db"), "cluster:host:c");
  EXPECT_EQ(cluster_of(g, "network:backend"), "");       // spans hosts
  EXPECT_EQ(cluster_of(g, "network:cache"), "cluster:host:a");  // only host a has it
  auto tunnels = edges(g, EdgeKind::Tunnel);
  ASSERT_EQ(tunnels.size(), 3u);  // a-b, a-c, b-c
  EXPECT_EQ(tunnels[0]->from, "host:a");
  EXPECT_EQ(tunnels[0]->to, "host:b");
  EXPECT_EQ(tunnels[0]->fields["vni"], 4242);
  EXPECT_EQ(tunnels[0]->fields["remote"], "10.99.0.2");
}

TEST(GraphModel, APickedNodeShowsItsOwnContainersAndTheHostsItsOverlaysReach) {
  GraphOptions o;
  o.node = "b";
  Graph g = graph_of(testing::overlay_view(), o);
  EXPECT_NE(node(g, "container:web-b"), nullptr);
  EXPECT_EQ(node(g, "container:web-a"), nullptr);
  EXPECT_EQ(node(g, "network:cache"), nullptr);
  EXPECT_NE(node(g, "host:a"), nullptr);
  EXPECT_NE(node(g, "host:c"), nullptr);
  auto tunnels = edges(g, EdgeKind::Tunnel);
  ASSERT_EQ(tunnels.size(), 2u);  // b's own: a-b and b-c
  for (const Edge* t : tunnels) EXPECT_TRUE(t->from == "host:b" || t->to == "host:b") << t->from << " " << t->to;
}

TEST(GraphModel, ALinkToAContainerNotDrawnIsLeftOut) {
  view::TopologyView v = testing::overlay_view();
  v.containers[2].links.push_back({"db", ""});  // web-a (host a) resolves db (host c)
  GraphOptions o;
  o.node = "a";
  Graph g = graph_of(v, o);
  EXPECT_TRUE(edges(g, EdgeKind::Link).empty());
  EXPECT_EQ(edges(graph_of(v), EdgeKind::Link).size(), 1u);
}

TEST(GraphModel, GroupingCanBeChosen) {
  GraphOptions o;
  o.grouping = Grouping::None;
  EXPECT_TRUE(graph_of(testing::overlay_view(), o).clusters.empty());
  o.grouping = Grouping::Network;
  Graph g = graph_of(testing::overlay_view(), o);
  EXPECT_EQ(cluster_of(g, "container:web-a"), "cluster:network:backend");
  EXPECT_EQ(cluster_of(g, "container:redis"), "cluster:network:cache");
  EXPECT_EQ(parse_grouping("host"), Grouping::Host);
  EXPECT_EQ(parse_grouping("hosts"), std::nullopt);
}

// Readable at 50: every container sits in a cluster, none stands alone.
TEST(GraphModel, FiftyContainersAreAllClustered) {
  view::TopologyView v;
  for (int n = 0; n < 5; ++n)
    v.networks.push_back(testing::network("net" + std::to_string(n), "s", "bridge", "10.0." + std::to_string(n) + ".0/24",
                                          "10.0." + std::to_string(n) + ".1"));
  for (int i = 0; i < 50; ++i) {
    const std::string name = "c" + std::to_string(i), net = "net" + std::to_string(i % 5);
    v.containers.push_back(testing::container(name, "s", {testing::member(name, net, "eth0", "10.0.0.9", 24, "")}));
  }
  testing::attach(v);
  Graph g = graph_of(v);
  EXPECT_EQ(g.clusters.size(), 5u);
  for (const auto& n : g.nodes) EXPECT_FALSE(n.cluster.empty()) << n.id;
}

}  // namespace topo::graph
