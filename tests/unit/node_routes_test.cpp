// Cluster mode's host-gw routes: their protocol number is their mark, their
// stack the routed overlay's they lead into (pipeline/node_routes.hpp).
#include "reconciler/pipeline/node_routes.hpp"

#include <gtest/gtest.h>

#include "reconciler/resources/ownership.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

TEST(NodeRoutes, HostGwRoutesTakeTheirNetworksStackOthersStayShared) {
  Desired d;
  Network ov = bridge_network("ov", "10.50.0.0/16");
  make_routed_overlay(ov, 42, 24);
  ov.stack = "shop";
  d.networks = {ov};
  Observed o;
  Resource mine{Kind::Route, "", "10.50.3.0/24", {{attr::via, "10.99.0.3"}}, {}, "cluster"};
  Resource stranger{Kind::Route, "", "10.70.3.0/24", {{attr::via, "10.99.0.3"}}, {}, "cluster"};
  Resource container_route{Kind::Route, "c1", "10.50.9.0/24", {}, {}, "attachment/c1/eth0"};
  o.owned = {mine, stranger, container_route};
  claim_node_routes(o, d);
  EXPECT_EQ(o.owned[0].stack, "shop");
  EXPECT_EQ(o.owned[0].origin, "network/ov");
  EXPECT_EQ(o.owned[1].stack, "");
  EXPECT_EQ(o.owned[1].origin, "cluster");
  EXPECT_EQ(o.owned[2].origin, "attachment/c1/eth0");
}

TEST(NodeRoutes, OnlyHostRoutesWithoutADeviceCarryTheNodeProtocol) {
  EXPECT_EQ(ownership::route_protocol(true, false), ownership::kNodeRouteProtocol);
  EXPECT_EQ(ownership::route_protocol(true, true), ownership::kRouteProtocol);
  EXPECT_EQ(ownership::route_protocol(false, false), ownership::kRouteProtocol);
  EXPECT_NE(ownership::kNodeRouteProtocol, ownership::kRouteProtocol);
}

}  // namespace topo
