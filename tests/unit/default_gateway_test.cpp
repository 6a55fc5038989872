// A bridge network's default_gateway (issue 15): the containers' default
// route goes via that router, the bridge keeps topo's gateway, and the
// router's address is never allocated to a container.
#include <gtest/gtest.h>

#include "providers/bridge/bridge_provider.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

Desired routed_model() {
  Desired d;
  d.networks.push_back(bridge_network("n", "10.0.0.0/24"));
  settings_of<BridgeSettings>(d.networks[0]).default_gateway = IpAddress::parse("10.0.0.2");
  d.containers = {container("c1"), container("router")};
  d.attachments = {attach("c1", "n"), attach("router", "n", "10.0.0.2")};
  return d;
}

const Resource* find(const std::vector<Resource>& rs, const std::string& key) {
  for (const auto& r : rs)
    if (r.key() == key) return &r;
  return nullptr;
}

TEST(DefaultGateway, ContainersRouteViaItAndTheBridgeKeepsTheGateway) {
  const Desired d = routed_model();
  const IpamResult ipam = allocate(d, {}, {});
  ASSERT_TRUE(ipam.errors.empty());
  const auto rs = render_all(d, ipam.allocations).resources;
  ASSERT_NE(find(rs, "address /br-n/10.0.0.1/24"), nullptr) << "the bridge keeps topo's gateway";
  const Resource* route = find(rs, "route c1/default");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->attr(attr::via), "10.0.0.2");
  // The router itself (a container holding that address) routes via topo's gateway.
  const Resource* own = find(rs, "route router/default");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->attr(attr::via), "10.0.0.1");
}

TEST(DefaultGateway, ItsAddressIsNeverAllocated) {
  Desired d = routed_model();
  d.attachments.pop_back();  // the router is not one of topo's containers
  const IpamResult ipam = allocate(d, {}, {});
  ASSERT_TRUE(ipam.errors.empty());
  EXPECT_EQ(ipam.allocations.at("n/c1/eth0").ipv4->str(), "10.0.0.3");
}

TEST(DefaultGateway, AnotherFamilysRouteStaysViaTheGateway) {
  Desired d = routed_model();
  SubnetSpec v6;
  v6.subnet = *IpPrefix::parse("fd00::/64");
  v6.gateway = IpAddress::parse("fd00::1");
  d.networks[0].subnets.push_back(v6);
  Allocations alloc;
  alloc["n/c1/eth0"].ipv4 = IpAddress::parse("10.0.0.3");
  alloc["n/c1/eth0"].ipv6 = IpAddress::parse("fd00::3");
  const auto rs = render_all(d, alloc).resources;
  const Resource* route6 = find(rs, "route c1/default6");
  ASSERT_NE(route6, nullptr);
  EXPECT_EQ(route6->attr(attr::via), "fd00::1");
}

}  // namespace
}  // namespace topo
