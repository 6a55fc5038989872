// Loader: `checks` entries (manifest.md "checks"): read with their defaults,
// and every mistake told with its file, line and key before anything runs.
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kBase = R"(version: 1
networks:
  - {name: n, subnet: 10.0.0.0/24}
containers:
  - name: a
  - name: b
  - {name: side, network_mode: "container:a"}
attachments:
  - {container: a, network: n}
  - {container: b, network: n}
checks:
)";  // 11 lines

TEST_F(LoaderTest, ChecksAreReadWithTheirDefaults) {
  const LoadResult r = load_text(std::string(kBase) + R"(  - {from: a, to: b}
  - {from: a, to: b, port: 80}
  - {from: a, to: 10.0.0.9, port: 53, protocol: udp, expect: unreachable, timeout: 0.5}
  - {from: side, resolve: b}
)");
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  const auto& c = r.desired.checks;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].to, "b");
  EXPECT_EQ(c[0].protocol, CheckProtocol::Icmp);
  EXPECT_TRUE(c[0].expect_reachable);
  EXPECT_EQ(c[0].timeout_ms, 2000);
  EXPECT_EQ(c[0].where.str().substr(c[0].where.str().rfind('/') + 1), "a.yaml:12:5");
  EXPECT_EQ(c[1].protocol, CheckProtocol::Tcp);
  EXPECT_EQ(c[1].port, 80);
  EXPECT_EQ(c[2].protocol, CheckProtocol::Udp);
  ASSERT_TRUE(c[2].to_address);
  EXPECT_EQ(c[2].to_address->str(), "10.0.0.9");
  EXPECT_TRUE(c[2].to.empty());
  EXPECT_FALSE(c[2].expect_reachable);
  EXPECT_EQ(c[2].timeout_ms, 500);
  EXPECT_EQ(c[3].resolve, "b");
  EXPECT_EQ(c[3].from, "side");
}

TEST_F(LoaderTest, AWrongCheckNamesItsFileLineAndKey) {
  const LoadResult r = load_text(std::string(kBase) + R"(  - {from: ghost, to: b}
  - {from: a, to: nobody}
  - {from: a}
  - {from: a, to: b, resolve: b}
  - {from: a, resolve: b, port: 80}
  - {from: a, to: b, protocol: icmp, port: 80}
  - {from: a, to: b, protocol: udp}
  - {from: a, to: 0.0.0.0}
  - {from: a, to: "ff02::1"}
)");
  expect_error(r, "a.yaml:12:12", "check from \"ghost\": unknown container \"ghost\"");
  expect_error(r, "a.yaml:13:19", "\"nobody\" is neither a container nor an IP address");
  expect_error(r, "a.yaml:14:5", "write either \"to\"");
  expect_error(r, "a.yaml:15:5", "not both");
  expect_error(r, "a.yaml:16:33", "\"port\" does not go with \"resolve\"");
  expect_error(r, "a.yaml:17:44", "a port does not go with protocol icmp");
  expect_error(r, "a.yaml:18:32", "protocol udp needs a \"port\"");
  expect_error(r, "a.yaml:19:19", "0.0.0.0 is not one machine's address (unspecified)");
  expect_error(r, "a.yaml:20:19", "ff02::1 is not one machine's address (multicast)");
  EXPECT_EQ(r.errors.size(), 9u) << dump(r);
}

TEST_F(LoaderTest, TheSchemaRefusesABadExpectationOrTimeout) {
  const LoadResult r = load_text(std::string(kBase) + R"(  - {from: a, to: b, expect: maybe}
  - {from: a, to: b, timeout: 0}
  - {from: a, to: b, port: 70000}
  - {from: a, to: b, with: 1}
)");
  EXPECT_EQ(r.errors.size(), 4u) << dump(r);
  expect_error(r, "a.yaml:12:30", "reachable or unreachable");
  expect_error(r, "a.yaml:13:31", "at least 0.1");
  expect_error(r, "a.yaml:14:28", "between 1 and 65535");
}

TEST_F(LoaderTest, ChecksTakeTheirDocumentsStack) {
  write("a.yaml", std::string(kBase) + "  - {from: a, to: b}\n");
  write("b.yaml", "version: 1\nstack: other\nchecks:\n  - {from: a, to: b}\n");
  const LoadResult r = load({"a.yaml", "b.yaml"});
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.desired.checks.size(), 2u);
  EXPECT_EQ(r.desired.checks[1].stack, "other");
}

}  // namespace
}  // namespace topo::testing
