// Issue 13 point 7: 1030 containers on one bridge network were "Valid", and
// apply rolled back after the kernel's "Exchange full" (a bridge takes at
// most 1023 ports). validate refuses, naming the network, count and limit.
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

// `n` containers c0..c(n-1) attached to `network`, after `head`.
std::string manifest(const std::string& head, const std::string& network, int n, const std::string& node = "") {
  std::string containers = "containers:\n", attachments = "attachments:\n";
  for (int i = 0; i < n; ++i) {
    containers += "  - {name: c" + std::to_string(i) + (node.empty() ? "" : ", node: " + node) + "}\n";
    attachments += "  - {container: c" + std::to_string(i) + ", network: " + network + "}\n";
  }
  return head + containers + attachments;
}

const char* kBridge = "networks:\n  - {name: big, subnet: 10.8.0.0/16}\n";

}  // namespace

TEST_F(LoaderTest, MoreThan1023AttachmentsOnOneBridgeAreRefused) {
  const LoadResult r = load_text(manifest(kBridge, "big", 1030));
  // The 1024th attachment (c1023) sits on line 3 + 1030 + 1 + 1024.
  expect_single_error(r, "a.yaml:2:5",
                      "network \"big\": 1030 attachments make 1030 ports of bridge \"br-big\", but a Linux bridge "
                      "takes at most 1023 (the kernel refuses the next one with \"Exchange full\"; the first one "
                      "over is at a.yaml:2058:5); spread the containers over several networks");
}

TEST_F(LoaderTest, ExactlyTheBridgePortLimitLoads) {
  const LoadResult r = load_text(manifest(kBridge, "big", 1023));
  EXPECT_TRUE(r.ok()) << dump(r);
}

// An overlay's VXLAN device is a port of its bridge too.
TEST_F(LoaderTest, OverlayCountsItsVxlanDeviceAsABridgePort) {
  const std::string head = "networks:\n  - {name: ov, driver: overlay, vni: 7, subnet: 10.8.0.0/16}\n";
  expect_single_error(load_text(manifest(head, "ov", 1023)), "a.yaml:2:5",
                      "network \"ov\": 1023 attachments make 1024 ports of bridge \"br-ov\" (with its VXLAN device)");
  EXPECT_TRUE(load_text(manifest(head, "ov", 1022)).ok());
}

// Each node builds its own bridge: the limit is per node.
TEST_F(LoaderTest, BridgePortLimitIsPerNode) {
  std::string text =
      "hosts:\n  - {name: a, address: 10.99.0.1}\n  - {name: b, address: 10.99.0.2}\n"
      "networks:\n  - {name: big, subnet: 10.8.0.0/16}\n"
      "containers:\n";
  std::string attachments = "attachments:\n";
  for (int i = 0; i < 1030; ++i) {
    text += "  - {name: c" + std::to_string(i) + ", node: " + (i % 2 ? "a" : "b") + "}\n";
    attachments += "  - {container: c" + std::to_string(i) + ", network: big}\n";
  }
  const LoadResult r = load_text(text + attachments);
  EXPECT_TRUE(r.ok()) << dump(r);
}

}  // namespace topo::testing
