// `topo graph` on a real kernel: it changes nothing, draws what apply made,
// and with --live marks an attachment whose veth was deleted by hand.
#include <algorithm>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

constexpr const char* kGraphed = R"(version: 1
networks:
  - name: gr
    subnet: 10.72.0.0/24
containers:
  - name: gr1
    ports: ["8086:80"]
  - name: gr2
attachments:
  - container: gr1
    network: gr
  - container: gr2
    network: gr
)";

// The attachment edge of `container` in a graph's JSON, or null.
nlohmann::json attachment_of(const nlohmann::json& graph, const std::string& container) {
  for (const auto& e : graph["edges"])
    if (e["kind"] == "attachment" && e["container"] == container) return e;
  return nullptr;
}

nlohmann::json node_of(const nlohmann::json& graph, const std::string& id) {
  for (const auto& n : graph["nodes"])
    if (n["id"] == id) return n;
  return nullptr;
}

}  // namespace

TEST_F(E2ETest, GraphDrawsWhatApplyMadeAndChangesNothing) {
  dir_.write("graph.yaml", kGraphed);
  const std::string untouched = kernel_snapshot();
  CmdResult before_apply = topo({"graph", dir_.path(), "--format", "json"});
  ASSERT_EQ(before_apply.exit_code, 0) << before_apply.describe();
  EXPECT_EQ(kernel_snapshot(), untouched) << "graph changed the kernel";
  ASSERT_EQ(apply().exit_code, 0);

  CmdResult drawn = topo({"graph", dir_.path(), "--format", "json"});
  ASSERT_EQ(drawn.exit_code, 0) << drawn.describe();
  auto j = nlohmann::json::parse(drawn.out);
  EXPECT_EQ(j["format_version"], 1);
  auto gr1 = attachment_of(j, "gr1");
  ASSERT_FALSE(gr1.is_null()) << drawn.out;
  EXPECT_EQ(gr1["ipv4"].get<std::string>() + "/24", ipv4_addrs("gr1", "eth0").at(0));
  EXPECT_FALSE(gr1.contains("state")) << "states only with --live";

  CmdResult svg = topo({"graph", dir_.path(), "--format", "svg"});
  ASSERT_EQ(svg.exit_code, 0) << svg.describe();
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  EXPECT_NE(svg.out.find("<title>container:gr2</title>"), std::string::npos) << svg.out;
}

TEST_F(E2ETest, GraphLiveMarksADeletedVethMissing) {
  dir_.write("graph.yaml", kGraphed);
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult healthy = topo({"graph", dir_.path(), "--live", "--format", "json"});
  ASSERT_EQ(healthy.exit_code, 0) << healthy.describe();
  auto j = nlohmann::json::parse(healthy.out);
  EXPECT_EQ(j["live"], true);
  EXPECT_EQ(attachment_of(j, "gr1")["state"], "ok") << healthy.out;
  EXPECT_EQ(node_of(j, "network:gr")["state"], "ok") << healthy.out;

  const std::string host_end = link_with_alias("topo-peer:gr1/eth0");
  ASSERT_FALSE(host_end.empty()) << kernel_snapshot();
  ASSERT_EQ(run({"ip", "link", "del", host_end}).exit_code, 0);
  const std::string broken = kernel_snapshot();

  CmdResult marked = topo({"graph", dir_.path(), "--live", "--format", "json"});
  ASSERT_EQ(marked.exit_code, 0) << marked.describe();
  EXPECT_EQ(kernel_snapshot(), broken) << "graph --live repaired or changed something";
  j = nlohmann::json::parse(marked.out);
  EXPECT_EQ(attachment_of(j, "gr1")["state"], "missing") << marked.out;
  EXPECT_EQ(attachment_of(j, "gr2")["state"], "ok") << marked.out;
  EXPECT_EQ(node_of(j, "network:gr")["state"], "ok") << marked.out;

  CmdResult dot = topo({"graph", dir_.path(), "--live"});
  ASSERT_EQ(dot.exit_code, 0) << dot.describe();
  EXPECT_NE(dot.out.find("cluster:legend"), std::string::npos) << dot.out;
  EXPECT_NE(dot.out.find("#c62828"), std::string::npos) << "the missing attachment is not drawn red\n" << dot.out;
}

// Multi-host manifests without --node: every host, from the manifests alone;
// with --node, that host's containers and the hosts its overlay reaches.
TEST_F(E2ETest, GraphOfTheOverlayExampleShowsEveryHostAndTheirTunnels) {
  dir_.write("graph.yaml", kGraphed);  // never applied: what the teardown's destroy reads
  const std::string overlay = std::string(TOPO_EXAMPLES) + "/overlay";
  CmdResult all = topo({"graph", overlay, "--format", "json"});
  ASSERT_EQ(all.exit_code, 0) << all.describe();
  auto j = nlohmann::json::parse(all.out);
  int hosts = 0, tunnels = 0;
  for (const auto& n : j["nodes"]) hosts += n["kind"] == "host";
  for (const auto& e : j["edges"]) tunnels += e["kind"] == "tunnel";
  EXPECT_EQ(hosts, 3) << all.out;
  EXPECT_EQ(tunnels, 3) << all.out;  // a-b, a-c, b-c
  EXPECT_EQ(attachment_of(j, "db")["ipv4"], "10.50.0.20") << all.out;

  CmdResult live = topo({"graph", overlay, "--live", "-o", "json"});
  EXPECT_EQ(live.exit_code, 1) << live.describe();
  EXPECT_NE(live.out.find("--node"), std::string::npos) << live.describe();
}

TEST_F(E2ETest, GraphErrorsComeAsJsonUnderFormatJson) {
  dir_.write("graph.yaml", "version: 1\nnetworks:\n  - name: bad\n    subnet: nonsense\n");
  CmdResult r = topo({"graph", dir_.path(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "graph");
  EXPECT_EQ(j["ok"], false);
  ASSERT_FALSE(j["errors"].empty()) << r.out;
  dir_.write("graph.yaml", kGraphed);  // never applied: what the teardown's destroy reads
}

}  // namespace topo::e2e
