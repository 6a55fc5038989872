// Issue 13 point 7: one MAC twice on one L2 segment was accepted, and the two
// interfaces could not both be reached. Refused by the loader, citing both.
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kBridge = R"(networks:
  - {name: n, subnet: 172.10.0.0/24}
  - {name: m, subnet: 172.11.0.0/24}
containers:
  - {name: c1}
  - {name: c2}
)";

}  // namespace

// c2's MAC is derived from its static address (02:42 + 172.10.0.100); c1
// writes that very MAC. Before: Valid, and the two could not talk.
TEST_F(LoaderTest, StaticMacEqualToAnotherAttachmentsDerivedMacIsRefused) {
  const LoadResult r = load_text(std::string(kBridge) + R"(attachments:
  - {container: c1, network: n, mac: "02:42:AC:0A:00:64"}
  - {container: c2, network: n, ipv4: 172.10.0.100}
)");
  expect_single_error(r, "a.yaml:8:38",
                      "mac 02:42:AC:0A:00:64 is the MAC topo derives for the attachment of container \"c2\" to "
                      "\"n\" at a.yaml:9:39 from its ipv4 172.10.0.100");
}

TEST_F(LoaderTest, SameStaticMacTwiceOnOneNetworkCitesBoth) {
  const LoadResult r = load_text(std::string(kBridge) + R"(attachments:
  - {container: c1, network: n, mac: "02:00:00:00:00:07"}
  - {container: c2, network: n, mac: "02:00:00:00:00:07"}
)");
  expect_single_error(r, "a.yaml:9:38",
                      "mac 02:00:00:00:00:07 is already used on network \"n\" by the attachment of container "
                      "\"c1\" to \"n\" at a.yaml:8:38");
}

// Different bridges are different segments: the same MAC on each is fine.
TEST_F(LoaderTest, SameMacOnTwoBridgeNetworksLoads) {
  const LoadResult r = load_text(std::string(kBridge) + R"(attachments:
  - {container: c1, network: n, mac: "02:00:00:00:00:07"}
  - {container: c2, network: m, mac: "02:00:00:00:00:07"}
  - {container: c2, network: n, interface: eth1, ipv4: 172.10.0.7}
  - {container: c1, network: m, interface: eth1, ipv4: 172.11.0.7}
)");
  // c2/eth0 and c1/eth0 need interfaces too: they have two attachments each.
  for (const auto& e : errors(r)) EXPECT_EQ(e.find("mac"), std::string::npos) << e;
}

// Two macvlan networks of two stacks, loaded together, on one parent: one
// L2 segment, and the kernel refuses the second macvlan with the MAC when
// it comes up ("Address already in use"), mid-apply.
TEST_F(LoaderTest, SameMacOnOneMacvlanParentAcrossStacksIsRefused) {
  write("one.yaml", R"(stack: one
networks:
  - {name: lan1, driver: macvlan, parent: eth0, subnet: 192.168.5.0/25}
containers:
  - {name: c1}
attachments:
  - {container: c1, network: lan1, mac: "02:00:00:00:00:09"}
)");
  write("two.yaml", R"(stack: two
networks:
  - {name: lan2, driver: macvlan, parent: eth0, subnet: 192.168.5.128/25}
containers:
  - {name: c2}
attachments:
  - {container: c2, network: lan2, mac: "02:00:00:00:00:09"}
)");
  const LoadResult r = load({"one.yaml", "two.yaml"});
  expect_single_error(r, "two.yaml:7:41",
                      "mac 02:00:00:00:00:09 is already used on parent interface \"eth0\" (macvlan network "
                      "\"lan2\") by the attachment of container \"c1\" to \"lan1\" at one.yaml:7:41");
}

// A macvlan network is one LAN, whichever node its containers are on.
TEST_F(LoaderTest, SameMacOnOneMacvlanNetworkAcrossNodesIsRefused) {
  const LoadResult r = load_text(R"(hosts:
  - {name: a, address: 10.99.0.1}
  - {name: b, address: 10.99.0.2}
networks:
  - {name: lan, driver: macvlan, parent: eth0, subnet: 192.168.5.0/24}
containers:
  - {name: c1, node: a}
  - {name: c2, node: b}
attachments:
  - {container: c1, network: lan, mac: "02:00:00:00:00:09"}
  - {container: c2, network: lan, mac: "02:00:00:00:00:09"}
)");
  expect_single_error(r, "a.yaml:11:40", "mac 02:00:00:00:00:09 is already used on network \"lan\"");
}

// Two macvlan networks on different parents are different segments.
TEST_F(LoaderTest, SameMacOnTwoMacvlanParentsLoads) {
  const LoadResult r = load_text(R"(networks:
  - {name: lan1, driver: macvlan, parent: eth0, subnet: 192.168.5.0/24}
  - {name: lan2, driver: macvlan, parent: eth1, subnet: 192.168.6.0/24}
containers:
  - {name: c1}
  - {name: c2}
attachments:
  - {container: c1, network: lan1, mac: "02:00:00:00:00:09"}
  - {container: c2, network: lan2, mac: "02:00:00:00:00:09"}
)");
  EXPECT_TRUE(r.ok()) << dump(r);
}

}  // namespace topo::testing
