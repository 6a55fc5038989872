// Loader: container routes against the default route an attachment carries.
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kNets = R"(networks:
  - name: n
    subnets: [{subnet: 10.0.0.0/24}, {subnet: "fd00::/64"}]
  - {name: v4only, subnet: 10.0.1.0/24}
  - {name: inner, subnet: 10.0.2.0/24, internal: true}
)";  // 5 lines

TEST_F(LoaderTest, DefaultRouteInRoutesClashesWithTheAttachmentsOne) {
  const LoadResult r = load_text(std::string(kNets) + R"(containers:
  - name: a
    routes:
      - {dst: 0.0.0.0/0, via: 10.0.0.254}
      - {dst: "::/0", via: "fd00::fe"}
      - {dst: "0:0::0/0", via: "fd00::fe"}
      - {dst: 192.168.0.0/16, via: 10.0.0.254}
attachments:
  - {container: a, network: n}
)");
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  expect_error(r, "a.yaml:9:15", "container \"a\": route dst 0.0.0.0/0 is the IPv4 default route, which its "
                                 "attachment to network \"n\" at a.yaml:14:5 already carries");
  expect_error(r, "a.yaml:10:15", "route dst ::/0 is the IPv6 default route");
  expect_error(r, "a.yaml:11:15", "route dst ::/0 is the IPv6 default route");
}

// Only the family the carrier's network has, and only when one carries it.
TEST_F(LoaderTest, DefaultRouteInRoutesIsFineWithoutACarrierOfThatFamily) {
  const LoadResult r = load_text(std::string(kNets) + R"(containers:
  - name: a
    routes: [{dst: "::/0", via: "fd00:9::1"}]
  - name: b
    routes: [{dst: 0.0.0.0/0, via: 10.0.2.254}]
  - name: c
    routes: [{dst: 0.0.0.0/0, via: 10.0.0.254}]
attachments:
  - {container: a, network: v4only}
  - {container: b, network: inner}
  - {container: c, network: n, default_route: false}
)");
  EXPECT_TRUE(r.ok()) << dump(r);
}

// With several attachments the carrier is the marked one, else the lowest interface.
TEST_F(LoaderTest, DefaultRouteClashNamesTheCarrier) {
  const LoadResult r = load_text(std::string(kNets) + R"(containers:
  - name: a
    routes: [{dst: 0.0.0.0/0, via: 10.0.0.254}]
attachments:
  - {container: a, network: n, interface: eth1}
  - {container: a, network: v4only, interface: eth0}
)");
  expect_single_error(r, "a.yaml:8:20", "attachment to network \"v4only\" at a.yaml:11:5 already carries");
}

}  // namespace
}  // namespace topo::testing
