// Issue 8, hostile input: every name that becomes a path component
// (/run/netns/<container>, /etc/netns/<container>/) or a kernel interface
// name is refused by the loader if it could escape its directory: '/', '..',
// '.', NUL, control characters, over-long. The e2e twin is
// tests/kernel/e2e_hostile_test.cpp (validate and apply exit 1, no change).
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const std::vector<std::pair<const char*, std::string>> kHostile = {
    {"slash", "\"a/b\""},        {"dot-dot", "\"..\""},
    {"dot", "\".\""},            {"dot-dot-slash", "\"../../etc\""},
    {"absolute", "\"/etc\""},    {"NUL", "\"web\\0x\""},
    {"newline", "\"a\\nb\""},    {"over-long (64)", std::string(64, 'a')},
    {"leading dash", "\"-rf\""}, {"empty", "\"\""},
};

TEST_F(LoaderTest, HostileContainerNamesAreRefused) {
  for (const auto& [what, name] : kHostile) {
    const LoadResult r = load_text("containers:\n  - name: " + name + "\n");
    EXPECT_FALSE(r.ok()) << what << " container name " << name << " was accepted";
  }
}

TEST_F(LoaderTest, HostileNetworkNamesAreRefused) {
  for (const auto& [what, name] : kHostile) {
    const LoadResult r = load_text("networks:\n  - {name: " + name + ", subnet: 10.0.0.0/24}\n");
    EXPECT_FALSE(r.ok()) << what << " network name " << name << " was accepted";
  }
}

TEST_F(LoaderTest, HostileInterfaceAndBridgeNamesAreRefused) {
  for (const auto& [what, name] : kHostile) {
    LoadResult r = load_text("networks:\n  - {name: n, subnet: 10.0.0.0/24, bridge: " + name + "}\n");
    EXPECT_FALSE(r.ok()) << what << " bridge name " << name << " was accepted";
    r = load_text("networks:\n  - {name: n, subnet: 10.0.0.0/24}\ncontainers:\n  - name: c\n"
                  "attachments:\n  - {container: c, network: n, interface: " + name + "}\n");
    EXPECT_FALSE(r.ok()) << what << " interface name " << name << " was accepted";
  }
  // 16 bytes: one over the kernel's IFNAMSIZ-1.
  const LoadResult r = load_text("networks:\n  - {name: n, subnet: 10.0.0.0/24, bridge: abcdefghijklmnop}\n");
  EXPECT_FALSE(r.ok()) << "a 16-byte bridge name was accepted";
}

TEST_F(LoaderTest, APlainNameIsStillAccepted) {
  // So the refusals above are about the names, not the surrounding manifest.
  const LoadResult r = load_text("networks:\n  - {name: n, subnet: 10.0.0.0/24, bridge: br-ok}\ncontainers:\n"
                                 "  - name: c.1_x-y\nattachments:\n  - {container: c.1_x-y, network: n, interface: eth0}\n");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().str());
}

}  // namespace
}  // namespace topo::testing
