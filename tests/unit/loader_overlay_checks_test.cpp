// Overlays spanning several nodes need static addresses on every attachment.
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kHostsAndNet =
    "hosts:\n"
    "  - {name: a, address: 10.99.0.1}\n"
    "  - {name: b, address: 10.99.0.2}\n"
    "networks:\n"
    "  - {name: ov, driver: overlay, vni: 42, subnet: 10.50.0.0/24}\n";

}  // namespace

TEST_F(LoaderTest, OverlaySpanningNodesNeedsStaticAddresses) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: b}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
                                 "  - container: c2\n"
                                 "    network: ov\n");
  expect_single_error(r, "a.yaml:11:5", "the overlay spans nodes a, b, so its attachments need a static ipv4");
}

TEST_F(LoaderTest, OverlayOnOneNodeMayAllocate) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: a}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov}\n"
                                 "  - {container: c2, network: ov}\n");
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(LoaderTest, OverlaySpanningNodesWithStaticAddressesLoads) {
  const LoadResult r = load_text(std::string(kHostsAndNet) +
                                 "containers:\n"
                                 "  - {name: c1, node: a}\n"
                                 "  - {name: c2, node: b}\n"
                                 "attachments:\n"
                                 "  - {container: c1, network: ov, ipv4: 10.50.0.11}\n"
                                 "  - {container: c2, network: ov, ipv4: 10.50.0.12}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.networks.at(0).mtu, 1450);  // the overlay default leaves room for the VXLAN header
  EXPECT_EQ(r.desired.networks.at(0).port, 4789);
}

}  // namespace topo::testing
