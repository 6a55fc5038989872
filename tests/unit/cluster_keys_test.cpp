// The registry's key layout and the JSON of its values (reconciler/cluster/keys.*, records.*).
#include <gtest/gtest.h>

#include "reconciler/cluster/error.hpp"
#include "reconciler/cluster/keys.hpp"
#include "reconciler/cluster/records.hpp"

namespace topo::cluster {
namespace {

IpPrefix P(const char* s) { return *IpPrefix::parse(s); }
IpAddress A(const char* s) { return *IpAddress::parse(s); }

TEST(ClusterKeys, NamesSafeInAKey) {
  for (const char* ok : {"a", "node-1", "web_1.example", "A9"}) EXPECT_TRUE(valid_name(ok)) << ok;
  EXPECT_TRUE(valid_name(std::string(63, 'x')));
  for (const char* bad : {"", "-a", ".a", "_a", "a/b", "..", "a b", "a\nb", "ü", "a:b"})
    EXPECT_FALSE(valid_name(bad)) << bad;
  EXPECT_FALSE(valid_name(std::string(64, 'x')));
  EXPECT_FALSE(valid_name(std::string("a\0b", 3)));
  try {
    check_name("node", "../x");
    FAIL();
  } catch (const ClusterError& e) {
    EXPECT_EQ(e.kind(), ClusterError::Kind::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("node name \"../x\""), std::string::npos) << e.what();
  }
}

TEST(ClusterKeys, Layout) {
  KeyLayout k("/topo/");
  EXPECT_EQ(k.prefix(), "/topo");
  EXPECT_EQ(k.node("a"), "/topo/nodes/a");
  EXPECT_EQ(k.subnet("ov", P("10.50.3.0/24")), "/topo/subnets/ov/10.50.3.0-24");
  EXPECT_EQ(k.subnet("ov", P("fd00:50:0:3::/64")), "/topo/subnets/ov/fd00:50:0:3::-64");
  EXPECT_EQ(k.address("ov", A("10.50.3.7")), "/topo/addresses/ov/10.50.3.7");
  EXPECT_EQ(k.subnets("ov"), "/topo/subnets/ov/");
  EXPECT_THROW(k.node("a/b"), ClusterError);
  EXPECT_THROW(k.subnets("x/y"), ClusterError);
  for (const char* bad : {"", "/", "topo", "//topo", "/a//b"}) EXPECT_THROW(KeyLayout{bad}, ClusterError) << bad;
  EXPECT_EQ(KeyLayout("/clusters/prod").node("n"), "/clusters/prod/nodes/n");
}

TEST(ClusterKeys, ParseIsTheInverseAndRefusesTheRest) {
  KeyLayout k;
  auto n = k.parse("/topo/nodes/a");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, ParsedKey::Kind::node);
  EXPECT_EQ(n->name, "a");
  auto s = k.parse("/topo/subnets/ov/fd00::-64");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, ParsedKey::Kind::subnet);
  EXPECT_EQ(s->network, "ov");
  auto a = k.parse("/topo/addresses/ov/10.0.0.9");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, ParsedKey::Kind::address);
  std::string why;
  for (const char* bad : {"/other/nodes/a", "/topo", "/topo/", "/topo/nodes/", "/topo/nodes/a/b", "/topo/misc/x",
                          "/topo/subnets/ov", "/topo/subnets/ov/10.0.0.5-24", "/topo/subnets/ov/10.0.0.0/24",
                          "/topo/subnets/ov/10.0.0.0-33", "/topo/addresses/ov/10.0.0.256", "/topo/addresses/ov/FD00::1",
                          "/topo/addresses/o v/10.0.0.1", "/topopo/nodes/a"}) {
    EXPECT_FALSE(k.parse(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(ClusterRecords, EncodeDecodeRoundTrip) {
  NodeRecord n{.name = "a", .address = "192.0.2.1", .vtep_macs = {{"ov", "02:00:00:00:00:01"}}};
  std::string error;
  EXPECT_EQ(encode(n), R"({"address":"192.0.2.1","name":"a","vtep_macs":{"ov":"02:00:00:00:00:01"}})");
  auto back = decode_node(encode(n), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, n);
  SubnetLease s{.network = "", .node = "a", .address = "192.0.2.1", .vtep_mac = "02:00:00:00:00:01"};
  auto sb = decode_subnet(encode(s), &error);
  ASSERT_TRUE(sb) << error;
  EXPECT_EQ(*sb, s);
  AddressClaim c{.network = "", .node = "a", .container = "c1", .mac = "02:42:0a:00:00:02"};
  auto cb = decode_address(encode(c), &error);
  ASSERT_TRUE(cb) << error;
  EXPECT_EQ(*cb, c);
}

}  // namespace
}  // namespace topo::cluster
