#include "providers/bridge/bridge_provider.hpp"

#include <gtest/gtest.h>

#include "reconciler/planner/dependencies.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

struct Rendered {
  std::vector<Resource> list;
  const Resource* find(const std::string& key) const {
    for (const auto& r : list)
      if (r.key() == key) return &r;
    return nullptr;
  }
};

Rendered render_one(bool internal = false, bool default_route = true) {
  Desired d;
  d.networks.push_back(bridge_network("network01", "172.10.0.0/24"));
  d.networks[0].internal = internal;
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "network01")};
  d.attachments[0].default_route = default_route;
  Allocations alloc;
  alloc["network01/c1/eth0"].ipv4 = IpAddress::parse("172.10.0.2");
  alloc["network01/c1/eth0"].mac = "02:42:ac:0a:00:02";
  Rendered r;
  r.list = render_all(d, alloc).resources;
  // The firewall and forwarding switches are the firewall provider's (firewall_provider_test).
  std::erase_if(r.list, [](const Resource& x) { return x.kind == Kind::Firewall || x.kind == Kind::Sysctl; });
  return r;
}

}  // namespace

TEST(BridgeProvider, RendersBridgeGatewayVethAddressAndDefaultRoute) {
  auto r = render_one();
  ASSERT_NE(r.find("namespace /c1"), nullptr);
  const Resource* br = r.find("link /br-network01");
  ASSERT_NE(br, nullptr);
  EXPECT_EQ(br->attr(attr::type), "bridge");
  EXPECT_EQ(br->attr(attr::mtu), "1500");
  ASSERT_NE(r.find("address /br-network01/172.10.0.1/24"), nullptr);
  const Resource* veth = r.find("link c1/eth0");
  ASSERT_NE(veth, nullptr);
  EXPECT_EQ(veth->attr(attr::type), "veth");
  EXPECT_EQ(veth->attr(attr::master), "br-network01");
  EXPECT_EQ(veth->attr(attr::peer), host_veth_name("c1", "eth0"));
  EXPECT_EQ(veth->attr(attr::mac), "02:42:ac:0a:00:02");
  EXPECT_TRUE(veth->replace_on.count(attr::peer));
  ASSERT_NE(r.find("address c1/eth0/172.10.0.2/24"), nullptr);
  const Resource* route = r.find("route c1/default");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->attr(attr::via), "172.10.0.1");
  EXPECT_EQ(route->attr(attr::dev), "eth0");
  EXPECT_EQ(r.list.size(), 8u);  // + the container's hosts and resolv.conf files
}

// Issue 13 point 1: no interface topo makes on the host takes Router
// Advertisements or makes itself addresses from them (CVE-2020-13401's class).
TEST(BridgeProvider, HostSideLinksRefuseRouterAdvertisements) {
  Desired d;
  d.networks.push_back(bridge_network("net.1", "172.10.0.0/24"));
  settings_of<BridgeSettings>(d.networks[0]).bridge = "br-net.1";
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "net.1")};
  std::vector<Resource> sysctls;
  for (auto& r : render_all(d, {}).resources)
    if (r.kind == Kind::Sysctl && r.ns.empty() && r.name.rfind("net.ipv6.conf.", 0) == 0) sysctls.push_back(r);
  const std::string veth = host_veth_name("c1", "eth0");
  std::map<std::string, std::string> want = {
      {"net.ipv6.conf.br-net/1.accept_ra", "/br-net.1"},  // '/' stands for the '.' in the name
      {"net.ipv6.conf.br-net/1.autoconf", "/br-net.1"},
      {"net.ipv6.conf." + veth + ".accept_ra", "c1/eth0"},  // tied to the veth resource that makes it
      {"net.ipv6.conf." + veth + ".autoconf", "c1/eth0"},
  };
  ASSERT_EQ(sysctls.size(), want.size());
  for (const auto& s : sysctls) {
    ASSERT_TRUE(want.count(s.name)) << s.name;
    EXPECT_EQ(s.ns, "");
    EXPECT_EQ(s.attr(attr::value), "0") << s.name;
    EXPECT_EQ(s.attr(attr::link), want[s.name]) << s.name;
  }
  // The container's end likewise, inside its namespace.
  int inside = 0;
  for (auto& r : render_all(d, {}).resources)
    if (r.kind == Kind::Sysctl && r.ns == "c1") {
      EXPECT_TRUE(r.name == "net.ipv6.conf.eth0.accept_ra" || r.name == "net.ipv6.conf.eth0.autoconf") << r.name;
      EXPECT_EQ(r.attr(attr::value), "0");
      EXPECT_EQ(r.attr(attr::link), "c1/eth0");
      ++inside;
    }
  EXPECT_EQ(inside, 2);
  // Unless the container's own sysctls name one: its author decides there.
  d.containers[0].sysctls["net.ipv6.conf.eth0.accept_ra"] = "1";
  std::vector<std::string> values;
  for (auto& r : render_all(d, {}).resources)
    if (r.kind == Kind::Sysctl && r.ns == "c1" && r.name == "net.ipv6.conf.eth0.accept_ra") values.push_back(r.attr(attr::value));
  EXPECT_EQ(values, std::vector<std::string>{"1"});
  // Made after the links they live on.
  Resource br_link;
  br_link.kind = Kind::Link;
  br_link.attrs[attr::type] = "veth";
  EXPECT_GT(dependency_rank(sysctls[0]), dependency_rank(br_link));
}

TEST(BridgeProvider, InternalNetworksAndNonDefaultAttachmentsGetNoDefaultRoute) {
  EXPECT_EQ(render_one(true, true).find("route c1/default"), nullptr);
  EXPECT_EQ(render_one(false, false).find("route c1/default"), nullptr);
}

TEST(BridgeProvider, HostVethNamesAreStableDistinctAndShort) {
  EXPECT_EQ(host_veth_name("c1", "eth0"), host_veth_name("c1", "eth0"));
  EXPECT_NE(host_veth_name("c1", "eth0"), host_veth_name("c2", "eth0"));
  EXPECT_NE(host_veth_name("c1", "eth0"), host_veth_name("c1", "eth1"));
  EXPECT_LE(host_veth_name("a-very-long-container-name-indeed", "eth0").size(), 15u);
}

TEST(BridgeProvider, EveryDriverHasAProvider) {
  for (Driver d : {Driver::Bridge, Driver::Macvlan, Driver::Ipvlan}) {
    ASSERT_NE(provider_for(d), nullptr) << to_string(d);
    EXPECT_EQ(provider_for(d)->driver(), d);
  }
}

}  // namespace topo
