// The cluster view decoded from a get_prefix answer (reconciler/cluster/cluster_view.*),
// junk included, and kept current by events.
#include <gtest/gtest.h>

#include "reconciler/cluster/cluster_view.hpp"

namespace topo::cluster {
namespace {

etcd::KeyValue kv(std::string key, std::string value, etcd::LeaseId lease = 7, etcd::Revision rev = 5) {
  return {.key = std::move(key), .value = std::move(value), .create_revision = rev, .mod_revision = rev,
          .version = 1, .lease = lease};
}

TEST(ClusterView, DecodesNodesSubnetsAndClaims) {
  KeyLayout layout;
  etcd::RangeResult r;
  r.revision = 42;
  r.kvs = {
      kv("/topo/addresses/ov/10.50.1.2", R"({"node":"b","container":"c1","mac":"02:42:0a:32:01:02"})", 9),
      kv("/topo/nodes/a", R"({"name":"a","address":"192.0.2.1","vtep_macs":{"ov":"02:00:00:00:00:0a"}})", 3),
      kv("/topo/nodes/b", R"({"name":"b","address":"192.0.2.2"})", 4),
      kv("/topo/subnets/ov/10.50.1.0-24", R"({"node":"b","address":"192.0.2.2","vtep_mac":"02:00:00:00:00:0b"})", 9),
      kv("/topo/subnets/ov/10.50.0.0-24", R"({"node":"a","address":"192.0.2.1","vtep_mac":"02:00:00:00:00:0a"})", 8),
      kv("/topo/subnets/v6/fd00::-64", R"({"node":"a","address":"192.0.2.1"})", 8),
  };
  ClusterView v = decode_view(layout, r);
  EXPECT_EQ(v.revision, 42);
  EXPECT_TRUE(v.skipped.empty());
  ASSERT_EQ(v.nodes.size(), 2u);
  EXPECT_EQ(v.nodes.at("a").vtep_macs.at("ov"), "02:00:00:00:00:0a");
  EXPECT_EQ(v.nodes.at("a").lease, 3);
  EXPECT_TRUE(v.has_node("b"));
  auto ov = v.subnets_of("ov");
  ASSERT_EQ(ov.size(), 2u);
  EXPECT_EQ(ov[0]->subnet.str(), "10.50.0.0/24");
  EXPECT_EQ(ov[0]->node, "a");
  EXPECT_EQ(ov[1]->node, "b");
  EXPECT_EQ(ov[1]->lease, 9);
  ASSERT_NE(v.subnet_of("ov", "b"), nullptr);
  EXPECT_EQ(v.subnet_of("ov", "b")->subnet.str(), "10.50.1.0/24");
  EXPECT_EQ(v.subnet_of("ov", "c"), nullptr);
  EXPECT_EQ(v.subnet_of("v6", "a")->vtep_mac, "");
  auto claims = v.claims_of("ov", "c1");
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0]->address.str(), "10.50.1.2");
  EXPECT_EQ(claims[0]->node, "b");
}

TEST(ClusterView, JunkIsSkippedWithAReasonNeverThrown) {
  KeyLayout layout;
  etcd::RangeResult r;
  r.kvs = {
      kv("/topo/nodes/a", "not json"),
      kv("/topo/nodes/b", R"({"name":"c","address":"192.0.2.2"})"),  // names another node
      kv("/topo/nodes/d", R"({"name":"d","address":"nowhere"})"),
      kv("/topo/nodes/e", R"(["name","e"])"),
      kv("/topo/nodes/f", R"({"name":"f","address":"192.0.2.6","vtep_macs":["x"]})"),
      kv("/topo/subnets/ov/10.50.1.0-24", R"({"node":"../x","address":"192.0.2.2"})"),
      kv("/topo/subnets/ov/10.50.2.0-24", R"({"node":"b","address":7})"),
      kv("/topo/subnets/ov/10.50.3.9-24", R"({"node":"b","address":"192.0.2.2"})"),
      kv("/topo/addresses/ov/10.50.1.2", R"({"node":"b","mac":"x"})"),
      kv("/topo/addresses/ov/banana", R"({"node":"b","container":"c","mac":"x"})"),
      kv("/topo/something/else", "x"),
      kv("/topo/nodes/ok", R"({"name":"ok","address":"192.0.2.9"})"),
      kv("/topo/nodes/g", std::string("\xff\xfe\0", 3)),
      kv("/topo/nodes/h", ""),
  };
  ClusterView v = decode_view(layout, r);
  EXPECT_EQ(v.nodes.size(), 1u);
  EXPECT_TRUE(v.has_node("ok"));
  EXPECT_TRUE(v.subnets.empty());
  EXPECT_TRUE(v.addresses.empty());
  ASSERT_EQ(v.skipped.size(), r.kvs.size() - 1);
  for (const SkippedKey& s : v.skipped) EXPECT_FALSE(s.reason.empty()) << s.key;
  EXPECT_EQ(v.skipped[1].reason, "the value names node c, the key b");
}

TEST(ClusterView, EventsKeepItCurrent) {
  KeyLayout layout("/x");
  ClusterView v;
  v.apply_put(layout, kv("/x/nodes/a", R"({"name":"a","address":"192.0.2.1"})", 3, 10));
  v.apply_put(layout, kv("/x/subnets/ov/10.0.0.0-24", R"({"node":"a","address":"192.0.2.1"})", 4, 11));
  EXPECT_EQ(v.revision, 11);
  EXPECT_TRUE(v.has_node("a"));
  EXPECT_EQ(v.subnets.size(), 1u);
  // A put that turns a good value bad drops the record.
  v.apply_put(layout, kv("/x/subnets/ov/10.0.0.0-24", "junk", 4, 12));
  EXPECT_TRUE(v.subnets.empty());
  EXPECT_EQ(v.skipped.size(), 1u);
  v.apply_erase(layout, "/x/subnets/ov/10.0.0.0-24");
  EXPECT_TRUE(v.skipped.empty());
  v.apply_erase(layout, "/x/nodes/a");
  EXPECT_FALSE(v.has_node("a"));
  v.apply_erase(layout, "/elsewhere/nodes/a");  // nothing to do, no harm
}

}  // namespace
}  // namespace topo::cluster
