// Node slicing: which part of the manifests one host applies.
#include "reconciler/model/slice.hpp"

#include <gtest/gtest.h>

#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

// Two hosts; an overlay on both, a bridge network only on b, one unattached.
Desired cluster() {
  Desired d;
  d.hosts = {host("a", "10.99.0.1"), host("b", "10.99.0.2")};
  Network ov = bridge_network("ov", "10.50.0.0/24");
  make_overlay(ov, 42);
  d.networks = {bridge_network("local-b", "172.20.0.0/24"), ov, bridge_network("unused", "172.21.0.0/24")};
  d.containers = {on("a1", "a"), on("b1", "b"), on("b2", "b")};
  d.attachments = {attach("a1", "ov", "10.50.0.11"), attach("b1", "ov", "10.50.0.21"), attach("b2", "local-b")};
  return d;
}

std::vector<std::string> names(const std::vector<Container>& v) {
  std::vector<std::string> out;
  for (const auto& c : v) out.push_back(c.name);
  return out;
}
std::vector<std::string> names(const std::vector<Network>& v) {
  std::vector<std::string> out;
  for (const auto& n : v) out.push_back(n.name);
  return out;
}

}  // namespace

TEST(Slice, NodeGetsItsContainersTheirAttachmentsAndNetworks) {
  NodeSelection sel = select_node(cluster(), "b");
  ASSERT_EQ(sel.error, "");
  const Desired& s = sel.desired;
  EXPECT_EQ(s.node, "b");
  EXPECT_EQ(names(s.containers), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(names(s.networks), (std::vector<std::string>{"local-b", "ov"}));
  ASSERT_EQ(s.attachments.size(), 2u);
  EXPECT_EQ(s.hosts.size(), 2u);
  // The whole model stays at hand for the members on other nodes.
  EXPECT_EQ(s.whole().containers.size(), 3u);
  EXPECT_EQ(s.whole().attachments.size(), 3u);
}

TEST(Slice, OtherNodeSeesOnlyTheOverlay) {
  NodeSelection sel = select_node(cluster(), "a");
  ASSERT_EQ(sel.error, "");
  EXPECT_EQ(names(sel.desired.containers), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(names(sel.desired.networks), (std::vector<std::string>{"ov"}));
}

TEST(Slice, HostsWithoutNodeIsAnErrorNamingTheHosts) {
  NodeSelection sel = select_node(cluster(), "");
  EXPECT_NE(sel.error.find("pass --node NAME"), std::string::npos) << sel.error;
  EXPECT_NE(sel.error.find("a, b"), std::string::npos) << sel.error;
  EXPECT_TRUE(sel.desired.containers.empty());
}

TEST(Slice, UnknownNodeIsAnError) {
  NodeSelection sel = select_node(cluster(), "z");
  EXPECT_NE(sel.error.find("--node z is not one of the declared hosts (a, b)"), std::string::npos) << sel.error;
}

TEST(Slice, NodeWithoutHostsIsAnError) {
  Desired d;
  d.containers = {container("c1")};
  NodeSelection sel = select_node(d, "a");
  EXPECT_NE(sel.error.find("declare no hosts"), std::string::npos) << sel.error;
}

TEST(Slice, SingleHostIsTheWholeModel) {
  Desired d;
  d.containers = {container("c1")};
  NodeSelection sel = select_node(d, "");
  ASSERT_EQ(sel.error, "");
  EXPECT_EQ(sel.desired.node, "");
  EXPECT_EQ(sel.desired.containers.size(), 1u);
  EXPECT_EQ(&sel.desired.whole(), &sel.desired);
}

TEST(Slice, NodesOfNetwork) {
  Desired d = cluster();
  EXPECT_EQ(nodes_of_network(d, "ov"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(nodes_of_network(d, "local-b"), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(nodes_of_network(d, "unused").empty());
}

}  // namespace topo
