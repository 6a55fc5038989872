// --live: the planner's comparison folded per element, and how the picture
// marks it (a state on each element, a legend, the extra ones drawn).
#include <gtest/gtest.h>

#include "reconciler/graph/dot_format.hpp"
#include "reconciler/graph/graph_model.hpp"
#include "reconciler/graph/json_format.hpp"
#include "reconciler/graph/mermaid_format.hpp"
#include "tests/unit/graph_views.hpp"

namespace topo::graph {
namespace {

Resource object(Kind kind, const std::string& ns, const std::string& name, const std::string& origin) {
  Resource r;
  r.kind = kind;
  r.ns = ns;
  r.name = name;
  r.origin = origin;
  return r;
}

ObjectStatus status(ObjectState state, const Resource& r) {
  ObjectStatus s;
  s.state = state;
  (state == ObjectState::Extra ? s.observed : s.desired) = r;
  if (state == ObjectState::Ok || state == ObjectState::Drift) s.observed = r;
  return s;
}

// quickstart with c1's veth deleted by hand: the link and its address gone.
std::vector<ObjectStatus> c1_veth_deleted() {
  return {
      status(ObjectState::Ok, object(Kind::Link, "", "br-network01", "network/network01")),
      status(ObjectState::Ok, object(Kind::Address, "", "br-network01/172.10.0.1/24", "network/network01")),
      status(ObjectState::Ok, object(Kind::Namespace, "", "c1", "container/c1")),
      status(ObjectState::Ok, object(Kind::File, "c1", "hosts", "container/c1")),
      status(ObjectState::Missing, object(Kind::Link, "c1", "eth0", "attachment/c1/eth0")),
      status(ObjectState::Missing, object(Kind::Address, "c1", "eth0/172.10.0.2/24", "attachment/c1/eth0")),
      status(ObjectState::Ok, object(Kind::Link, "c2", "eth0", "attachment/c2/eth0")),
      status(ObjectState::Drift, object(Kind::Route, "c2", "default", "attachment/c2/eth0")),
      status(ObjectState::Ok, object(Kind::Namespace, "", "c2", "container/c2")),
      status(ObjectState::Missing, object(Kind::Firewall, "", "publish 0.0.0.0:8080/tcp", "container/c1")),
      status(ObjectState::Ok, object(Kind::Firewall, "", "publish 127.0.0.1:49153/udp", "container/c1")),
      status(ObjectState::Ok, object(Kind::Firewall, "", "table", "")),
      status(ObjectState::Extra, object(Kind::Namespace, "", "old", "container/old")),
      status(ObjectState::Extra, object(Kind::Link, "", "br-gone", "network/gone")),
  };
}

const Node* node(const Graph& g, const std::string& id) {
  for (const auto& n : g.nodes)
    if (n.id == id) return &n;
  return nullptr;
}

const Edge* edge(const Graph& g, EdgeKind kind, const std::string& from, const std::string& to) {
  for (const auto& e : g.edges)
    if (e.kind == kind && e.from == from && e.to == to) return &e;
  return nullptr;
}

}  // namespace

TEST(GraphLiveStates, FoldsObjectsIntoTheirElements) {
  LiveStates live = live_states_of(c1_veth_deleted());
  EXPECT_EQ(live.of("network/network01"), LiveState::Ok);
  EXPECT_EQ(live.of("attachment/c1/eth0"), LiveState::Missing);
  EXPECT_EQ(live.of("attachment/c2/eth0"), LiveState::Drift);  // its link is there, its route differs
  EXPECT_EQ(live.of("container/c1"), LiveState::Ok);          // the rules are the ports'
  EXPECT_EQ(live.of(port_origin("c1", "", 8080, "tcp")), LiveState::Missing);
  EXPECT_EQ(live.of(port_origin("c1", "127.0.0.1", 49153, "udp")), LiveState::Ok);
  EXPECT_EQ(live.of("container/old"), LiveState::Extra);
  EXPECT_EQ(live.of("container/nobody"), LiveState::None);
  EXPECT_EQ(live.by_origin.count(""), 0u);  // shared objects draw on nothing
}

TEST(GraphLiveStates, AMissingAddressAloneIsDriftAnExtraOneToo) {
  LiveStates live = live_states_of({
      status(ObjectState::Ok, object(Kind::Link, "c1", "eth0", "attachment/c1/eth0")),
      status(ObjectState::Missing, object(Kind::Address, "c1", "eth0/172.10.0.2/24", "attachment/c1/eth0")),
      status(ObjectState::Ok, object(Kind::Link, "c2", "eth0", "attachment/c2/eth0")),
      status(ObjectState::Extra, object(Kind::Address, "c2", "eth0/172.10.0.9/24", "attachment/c2/eth0")),
      status(ObjectState::Missing, object(Kind::Namespace, "", "c3", "container/c3")),
      status(ObjectState::Ok, object(Kind::File, "c3", "hosts", "container/c3")),
  });
  EXPECT_EQ(live.of("attachment/c1/eth0"), LiveState::Drift);
  EXPECT_EQ(live.of("attachment/c2/eth0"), LiveState::Drift);
  EXPECT_EQ(live.of("container/c3"), LiveState::Missing);  // its namespace is the container
}

TEST(GraphLive, ElementsCarryTheirStateAndExtrasAreDrawn) {
  LiveStates live = live_states_of(c1_veth_deleted());
  GraphOptions o;
  o.live = &live;
  Graph g = graph_of(testing::bridge_view(), o);
  EXPECT_TRUE(g.live);
  EXPECT_EQ(edge(g, EdgeKind::Attachment, "container:c1", "network:network01")->state, LiveState::Missing);
  EXPECT_EQ(edge(g, EdgeKind::Attachment, "container:c2", "network:network01")->state, LiveState::Drift);
  EXPECT_EQ(edge(g, EdgeKind::Port, "host", "container:c1")->state, LiveState::Missing);
  EXPECT_EQ(node(g, "container:sidecar")->state, LiveState::Ok);  // nothing of its own to differ
  EXPECT_EQ(node(g, "host")->state, LiveState::None);             // not topo's
  ASSERT_NE(node(g, "container:old"), nullptr);
  EXPECT_EQ(node(g, "container:old")->state, LiveState::Extra);
  ASSERT_NE(node(g, "network:gone"), nullptr);
  EXPECT_EQ(node(g, "network:gone")->state, LiveState::Extra);
}

TEST(GraphLive, AnExtraPortIsDrawnAsItsRule) {
  LiveStates live = live_states_of(
      {status(ObjectState::Extra, object(Kind::Firewall, "", "publish 0.0.0.0:9090/tcp", "container/c2"))});
  GraphOptions o;
  o.live = &live;
  Graph g = graph_of(testing::macvlan_view(), o);  // no host node of its own
  const Edge* port = edge(g, EdgeKind::Port, "host", "container:c2");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->state, LiveState::Extra);
  EXPECT_EQ(port->label, (std::vector<std::string>{"0.0.0.0:9090/tcp"}));
  EXPECT_EQ(node(g, "container:c2")->state, LiveState::Extra);  // not in this view: the kernel's alone
}

TEST(GraphLive, FormatsMarkStatesAndAddALegend) {
  LiveStates live = live_states_of(c1_veth_deleted());
  GraphOptions o;
  o.live = &live;
  Graph g = graph_of(testing::bridge_view(), o);

  const std::string dot = format_dot(g);
  EXPECT_NE(dot.find("\"container:c1\" -> \"network:network01\" [label=\"eth0\\n172.10.0.2/24\", dir=none, "
                     "style=\"dashed\", color=\"#c62828\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("subgraph \"cluster:legend\""), std::string::npos);
  EXPECT_EQ(format_dot(graph_of(testing::bridge_view())).find("legend"), std::string::npos);

  const std::string mermaid = format_mermaid(g);
  EXPECT_NE(mermaid.find("classDef state_missing stroke:#c62828"), std::string::npos) << mermaid;
  EXPECT_NE(mermaid.find("linkStyle 0 stroke:#c62828"), std::string::npos) << mermaid;  // c1's attachment comes first

  const auto json = nlohmann::json::parse(format_json(g));
  EXPECT_EQ(json["format_version"], 1);
  EXPECT_EQ(json["live"], true);
  bool seen = false;
  for (const auto& e : json["edges"])
    if (e["kind"] == "attachment" && e["container"] == "c1") {
      EXPECT_EQ(e["state"], "missing");
      seen = true;
    }
  EXPECT_TRUE(seen);
  for (const auto& n : json["nodes"])
    if (n["kind"] == "host") {
      EXPECT_FALSE(n.contains("state"));
    }
}

}  // namespace topo::graph
