// The command line contract beyond apply/plan: saved plans, JSON output, and
// the multi-network example.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

constexpr const char* kSmall = R"(version: 1
networks:
  - name: cli
    subnet: 10.71.0.0/24
containers:
  - name: cli1
  - name: cli2
attachments:
  - container: cli1
    network: cli
  - container: cli2
    network: cli
)";

TEST_F(E2ETest, SavedPlanIsCarriedOutAndRefusedWhenStale) {
  dir_.write("cli.yaml", kSmall);
  std::string plan_file = dir_.path() + "/plan.json";  // not .yaml: not read as a manifest
  CmdResult p = plan({"--out", plan_file});
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  ASSERT_TRUE(std::filesystem::exists(plan_file)) << p.describe();
  EXPECT_TRUE(netns_list().empty()) << "plan --out must not change anything";

  CmdResult a = topo({"apply", plan_file});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  std::string cli2 = ipv4_of("cli2", "eth0");
  ASSERT_FALSE(cli2.empty()) << kernel_snapshot();
  EXPECT_TRUE(ping("cli1", cli2));
  CmdResult after = plan({"--detailed-exitcode"});
  EXPECT_EQ(after.exit_code, 0) << after.describe();

  // A plan made for one live state must not run against another.
  std::string host_end = link_with_alias("topo-peer:cli1/eth0");
  ASSERT_FALSE(host_end.empty());
  CmdResult repair = plan({"--out", plan_file});
  ASSERT_EQ(repair.exit_code, 0) << repair.describe();
  ASSERT_EQ(run({"ip", "link", "del", host_end}).exit_code, 0);
  std::string before = kernel_snapshot();
  CmdResult stale = topo({"apply", plan_file});
  EXPECT_EQ(stale.exit_code, 1) << stale.describe();
  EXPECT_NE(stale.all().find("changed"), std::string::npos) << stale.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "a stale plan changed the kernel";
}

// Global flags work before or after the subcommand; unknown ones are errors.
// Issue 12: a copied binary failed with "cannot open the manifest schema".
// The copy runs in a mount namespace of its own where the source tree's
// schema directory is hidden under an empty tmpfs, so no file could help it.
TEST_F(E2ETest, ACopiedBinaryNeedsNoSchemaFile) {
  dir_.write("cli.yaml", kSmall);
  const std::string copy = dir_.path() + "/.bin/topo";
  std::filesystem::create_directories(dir_.path() + "/.bin");
  std::filesystem::copy_file(TOPO_BINARY, copy);
  const std::string schema_dir = std::string(TOPO_TEST_DATA) + "/../schema";
  CmdResult v = sh("cd / && unshare --mount --propagation private sh -c 'mount -t tmpfs none " + schema_dir +
                   " && " + copy + " validate " + dir_.path() + "'");
  EXPECT_EQ(v.exit_code, 0) << v.describe();
  EXPECT_NE(v.out.find("Valid: 1 network(s), 2 container(s), 2 attachment(s)."), std::string::npos) << v.describe();
  EXPECT_EQ(v.all().find("schema"), std::string::npos) << v.describe();
}

TEST_F(E2ETest, GlobalFlagsMayFollowTheSubcommand) {
  dir_.write("t.yaml", kSmall);
  const std::string state = dir_.path() + "/elsewhere";
  CmdResult a = topo({"apply", dir_.path(), "--state-dir", state, "--lock-wait", "5"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(std::filesystem::exists(state + "/state.json")) << "the state went elsewhere";
  CmdResult p = topo({"--state-dir", state, "plan", dir_.path()});
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  CmdResult bad = topo({"plan", dir_.path(), "--no-such-flag"});
  EXPECT_EQ(bad.exit_code, 1) << bad.describe();
  EXPECT_NE(bad.all().find("--no-such-flag"), std::string::npos) << bad.describe();
  EXPECT_EQ(topo({"destroy", dir_.path(), "--state-dir", state}).exit_code, 0);
}

// Colour on a terminal only, and never with NO_COLOR, TERM=dumb or
// --no-color (script(1) gives the plan a terminal).
TEST_F(E2ETest, ColourOnlyOnATerminalThatWantsIt) {
  dir_.write("t.yaml", kSmall);
  const std::string plan = std::string(TOPO_BINARY) + " plan " + dir_.path();
  auto on_tty = [&](const std::string& env, const std::string& flags) {
    CmdResult r = sh("env -u NO_COLOR " + env + " script -qec '" + plan + flags + "' /dev/null");
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r.out.find("\x1b[") != std::string::npos;
  };
  EXPECT_TRUE(on_tty("TERM=xterm", "")) << "no colour on a terminal";
  EXPECT_FALSE(on_tty("TERM=xterm NO_COLOR=1", ""));
  EXPECT_FALSE(on_tty("TERM=dumb", ""));
  EXPECT_FALSE(on_tty("TERM=xterm", " --no-color"));
  CmdResult piped = topo({"plan", dir_.path()});
  EXPECT_EQ(piped.out.find("\x1b["), std::string::npos) << piped.describe();
}

TEST_F(E2ETest, JsonPlanCountsMatchTheText) {
  dir_.write("cli.yaml", kSmall);
  CmdResult text = plan();
  ASSERT_EQ(text.exit_code, 0) << text.describe();
  CmdResult json = plan({"-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  nlohmann::json doc;
  ASSERT_NO_THROW(doc = nlohmann::json::parse(json.out)) << json.describe();
  ASSERT_TRUE(doc.contains("actions") && doc["actions"].is_array()) << json.out;
  ASSERT_TRUE(doc.contains("summary")) << json.out;
  int add = doc["summary"].value("add", -1);
  // The one change: IPv4 forwarding, off in a fresh namespace, turned on.
  int change = doc["summary"].value("change", -1);
  EXPECT_EQ(add + change, static_cast<int>(doc["actions"].size()));
  EXPECT_EQ(last_line(text.out), "Plan: " + std::to_string(add) + " to add, " + std::to_string(change) +
                                     " to change, 0 to destroy.");

  ASSERT_EQ(apply().exit_code, 0);
  CmdResult none = plan({"-o", "json"});
  ASSERT_EQ(none.exit_code, 0) << none.describe();
  auto after = nlohmann::json::parse(none.out);
  EXPECT_TRUE(after["actions"].empty()) << none.out;

  CmdResult show = topo({"show", "-o", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.describe();
  EXPECT_NE(show.out.find("\"cli1\""), std::string::npos) << show.out;
  nlohmann::json shown;
  EXPECT_NO_THROW(shown = nlohmann::json::parse(show.out)) << show.out;
}

// examples/two-networks: a container on two networks, ip_range, a custom
// gateway and MTU, manifests split over two files.
class TwoNetworks : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* f : {"networks.yaml", "containers.yaml"}) {
      std::ifstream in(std::string(TOPO_EXAMPLES) + "/two-networks/" + f);
      ASSERT_TRUE(in) << "examples/two-networks/" << f << " is missing";
      std::stringstream text;
      text << in.rdbuf();
      dir_.write(f, text.str());
    }
  }
};

TEST_F(TwoNetworks, ExampleWiresAContainerOnTwoNetworks) {
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();

  std::string web = ipv4_of("web", "eth0"), db = ipv4_of("db", "eth0");
  std::string api0 = ipv4_of("api", "eth0"), api1 = ipv4_of("api", "eth1");
  EXPECT_EQ(db, "10.20.2.10");
  EXPECT_EQ(web.rfind("10.20.1.", 0), 0u) << web;
  EXPECT_EQ(api0.rfind("10.20.1.", 0), 0u) << api0;
  // Allocated on "back" from its ip_range 10.20.2.128/25.
  ASSERT_EQ(api1.rfind("10.20.2.", 0), 0u) << api1;
  EXPECT_GE(std::stoi(api1.substr(api1.rfind('.') + 1)), 128) << api1;

  EXPECT_EQ(link_json("", "br-back").value("mtu", 0), 1400);
  EXPECT_EQ(link_json("db", "eth0").value("mtu", 0), 1400);
  EXPECT_EQ(link_json("api", "eth1").value("mtu", 0), 1400);
  EXPECT_EQ(link_json("api", "eth0").value("mtu", 0), 1500);
  auto gw = ipv4_addrs("", "br-back");
  EXPECT_NE(std::find(gw.begin(), gw.end(), "10.20.2.254/24"), gw.end());

  // One default route, through the interface marked for it.
  auto routes = ip_json({"-n", "api", "-4", "route", "show", "default"});
  ASSERT_EQ(routes.size(), 1u) << routes.dump();
  EXPECT_EQ(routes[0].value("dev", ""), "eth0");
  EXPECT_EQ(routes[0].value("gateway", ""), "10.20.1.1");

  EXPECT_TRUE(ping("api", web));
  EXPECT_TRUE(ping("api", db));
  EXPECT_TRUE(ping("db", "10.20.2.254"));

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << p.describe();
}

}  // namespace
}  // namespace topo::e2e
