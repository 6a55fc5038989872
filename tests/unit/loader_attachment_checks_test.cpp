// Loader: semantic rules on attachments (references, interfaces, addresses).
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kBase = R"(networks:
  - name: n
    subnets:
      - subnet: 10.0.0.0/24
      - subnet: fd00::/64
  - name: m
    subnet: 10.0.1.0/24
  - name: inner
    subnet: 10.0.2.0/24
    internal: true
containers:
  - name: a
  - name: b
)";  // 13 lines; attachments start on line 14

TEST_F(LoaderTest, AttachmentReferencesMustExist) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: ghost, network: n}
  - {container: a, network: nowhere}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:15:17", "unknown container \"ghost\"");
  expect_error(r, "a.yaml:16:29", "unknown network \"nowhere\"");
}

TEST_F(LoaderTest, SameContainerOnSameNetworkTwice) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, interface: eth0}
  - {container: a, network: n, interface: eth1}
)");
  expect_single_error(r, "a.yaml:16:5", "container \"a\" is attached to network \"n\" twice: first at a.yaml:15:5");
}

TEST_F(LoaderTest, SameInterfaceTwiceInOneContainer) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, interface: eth0}
  - {container: a, network: m, interface: eth0}
)");
  expect_single_error(r, "a.yaml:16:43", "interface \"eth0\" is already used in container \"a\" at a.yaml:15:43");
}

TEST_F(LoaderTest, SeveralAttachmentsNeedInterfaces) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n}
  - {container: a, network: m, interface: eth1}
)");
  expect_single_error(r, "a.yaml:15:5", "container \"a\" has 2 attachments, so each needs \"interface\"");
}

TEST_F(LoaderTest, OnlyOneDefaultRoute) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, interface: eth0, default_route: true}
  - {container: a, network: m, interface: eth1, default_route: true}
)");
  expect_single_error(r, "a.yaml:16:64", "only one attachment per container may have default_route: true; already set at a.yaml:15:64");
}

TEST_F(LoaderTest, NoDefaultRouteOnInternalNetwork) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: inner, default_route: true}
)");
  expect_single_error(r, "a.yaml:15:51", "network \"inner\" is internal and cannot carry the default route");
}

TEST_F(LoaderTest, StaticAddressesAreChecked) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, interface: e0, ipv4: 10.0.0.10, ipv6: "fd00::10"}
  - {container: b, network: n, interface: e0, ipv4: 10.0.0.10}
  - {container: a, network: m, interface: e1, ipv4: 10.0.9.1}
  - {container: b, network: m, interface: e1, ipv4: 10.0.1.1}
  - {container: a, network: inner, interface: e2, ipv4: 10.0.2.255, ipv6: "fd00::1"}
  - {container: b, network: inner, interface: e2, ipv4: "fd00::2"}
)");
  ASSERT_EQ(r.errors.size(), 6u) << dump(r);
  expect_error(r, "a.yaml:16:53", "ipv4 10.0.0.10 is already taken on network \"n\" by the attachment of container \"a\" at a.yaml:15:53");
  expect_error(r, "a.yaml:17:53", "ipv4 10.0.9.1 is outside the subnets of network \"m\" (10.0.1.0/24)");
  expect_error(r, "a.yaml:18:53", "ipv4 10.0.1.1 is the gateway of network \"m\"");
  expect_error(r, "a.yaml:19:57", "ipv4 10.0.2.255 is the broadcast address of 10.0.2.0/24");
  expect_error(r, "a.yaml:19:75", "network \"inner\" has no IPv6 subnet for ipv6 fd00::1");
  expect_error(r, "a.yaml:20:57", "ipv4 fd00::2 is not an IPv4 address");
}

TEST_F(LoaderTest, MacAddressesAreChecked) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, mac: "03:00:00:00:00:01"}
  - {container: b, network: n, mac: "02:00:00:00:00:01"}
  - {container: b, network: n, mac: "02:00:00:00:00:01"}
)");
  ASSERT_FALSE(r.ok());
  expect_error(r, "a.yaml:15:37", "mac 03:00:00:00:00:01 is a multicast address");
  expect_error(r, "a.yaml:17:37", "mac 02:00:00:00:00:01 is already used on network \"n\"");
}

// issue 12: refused by validate, not first by the kernel mid-apply.
TEST_F(LoaderTest, InterfaceLoIsRefused) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, interface: lo}
)");
  expect_single_error(r, "a.yaml:15:43", "interface \"lo\" is the container's loopback");
}

TEST_F(LoaderTest, AllZeroMacIsRefused) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, mac: "00:00:00:00:00:00"}
  - {container: b, network: n, mac: "ff:ff:ff:ff:ff:ff"}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:15:37", "mac 00:00:00:00:00:00 is the all-zero address");
  expect_error(r, "a.yaml:16:37", "mac ff:ff:ff:ff:ff:ff is a multicast address");
}

// The same static address declared twice, spelled two ways, in two files:
// one error at the second, naming the first.
TEST_F(LoaderTest, StaticAddressDeclaredTwiceAcrossFilesNamesBoth) {
  write("m/a.yaml", std::string(kBase) + "attachments:\n  - {container: a, network: n, ipv6: \"fd00::a\"}\n");
  write("m/b.yaml", "attachments:\n  - {container: b, network: n, ipv6: \"fd00:0:0::0:a\"}\n");
  const LoadResult r = load({"m"});
  expect_single_error(r, "m/b.yaml:2:38",
                      "ipv6 fd00::a is already taken on network \"n\" by the attachment of container \"a\" at "
                      "m/a.yaml:15:38");
}

TEST_F(LoaderTest, StaticAddressOnTheGatewayIsRefusedForBothFamilies) {
  const LoadResult r = load_text(std::string(kBase) + R"(attachments:
  - {container: a, network: n, ipv4: 10.0.0.1, ipv6: "fd00::1"}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:15:38", "ipv4 10.0.0.1 is the gateway of network \"n\"");
  expect_error(r, "a.yaml:15:54", "ipv6 fd00::1 is the gateway of network \"n\"");
}

}  // namespace
}  // namespace topo::testing
