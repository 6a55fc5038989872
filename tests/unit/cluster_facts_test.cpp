// What plan and diff take from etcd without writing (cluster/cluster_facts.hpp):
// this node's keys as they are, and for what it holds nothing yet the first
// free choice, never one another node holds.
#include "reconciler/cluster/cluster_facts.hpp"

#include <gtest/gtest.h>

#include "providers/overlay/overlay_shares.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo::cluster {
namespace {

using namespace topo::testing;

etcd::KeyValue kv(std::string key, std::string value) {
  return {.key = std::move(key), .value = std::move(value), .create_revision = 3, .mod_revision = 3, .version = 1,
          .lease = 7};
}

// b holds 10.50.0.0/24 and its member b1 10.50.0.2; a has joined nothing yet.
ClusterView view() {
  etcd::RangeResult r;
  r.revision = 9;
  r.kvs = {kv("/topo/nodes/b", R"({"name":"b","address":"10.99.0.2","vtep_macs":{"ov":"0e:00:00:00:00:0b"}})"),
           kv("/topo/subnets/ov/10.50.0.0-24", R"({"node":"b","address":"10.99.0.2","vtep_mac":"0e:00:00:00:00:0b"})"),
           kv("/topo/addresses/ov/10.50.0.2", R"({"node":"b","container":"b1","mac":""})"),
           kv("/topo/addresses/l2/10.60.0.2", R"({"node":"b","container":"b1","mac":""})")};
  return decode_view(KeyLayout{}, r);
}

Desired manifests() {
  Desired d;
  Network ov = bridge_network("ov", "10.50.0.0/16");
  make_routed_overlay(ov, 42, 24);
  Network l2 = bridge_network("l2", "10.60.0.0/24");
  make_overlay(l2, 43);
  d.networks = {l2, ov};
  d.containers = {on("a1", "a"), on("a2", "a"), on("b1", "b")};
  d.attachments = {attach("a1", "l2"), attach("a1", "ov"), attach("a2", "l2", "10.60.0.9"), attach("b1", "l2"),
                   attach("b1", "ov")};
  return d;
}

}  // namespace

TEST(ClusterFacts, PreviewTakesTheFirstFreeShareAndAddressesWithoutWriting) {
  const Desired whole = manifests();
  const NodeInfo me = node_info("a", "10.99.0.1", whole);
  EXPECT_EQ(me.vtep_macs.at("ov"), vtep_mac("ov", "a"));
  EXPECT_EQ(me.vtep_macs.count("l2"), 0u);  // an L2 overlay's device is a bridge port: no MAC to share
  auto f = preview_facts(view(), me, whole);
  EXPECT_EQ(f->revision, 9);
  ASSERT_EQ(f->nodes.size(), 2u);  // b, and a itself before it joined
  const NodeShare* mine = f->share("ov", "a");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->subnet.str(), "10.50.1.0/24");  // b holds 10.50.0.0/24
  EXPECT_EQ(mine->vtep_mac, vtep_mac("ov", "a"));
  std::map<std::string, std::string> a1;
  for (const MemberAddress& m : f->members)
    if (m.node == "a") a1[m.network + "/" + m.container] = m.address.str();
  EXPECT_EQ(a1, (std::map<std::string, std::string>{{"l2/a1", "10.60.0.3"}, {"ov/a1", "10.50.1.2"}}));
}

TEST(ClusterFacts, ANodesOwnKeysAreKept) {
  etcd::RangeResult r;
  r.kvs = {kv("/topo/subnets/ov/10.50.7.0-24", R"({"node":"a","address":"10.99.0.1","vtep_mac":"x"})"),
           kv("/topo/addresses/ov/10.50.7.9", R"({"node":"a","container":"a1","mac":""})")};
  const Desired whole = manifests();
  auto f = preview_facts(decode_view(KeyLayout{}, r), node_info("a", "10.99.0.1", whole), whole);
  EXPECT_EQ(f->share("ov", "a")->subnet.str(), "10.50.7.0/24");
  int ov_members = 0;
  for (const MemberAddress& m : f->members)
    if (m.network == "ov") {
      ++ov_members;
      EXPECT_EQ(m.address.str(), "10.50.7.9");
    }
  EXPECT_EQ(ov_members, 1);
}

}  // namespace topo::cluster
