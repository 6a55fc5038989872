// Issue 18, `topo inspect`: after apply, a network's members as inspect shows
// them are what `ip -n` shows in the containers (interface, IPv4, MAC, the
// host end of the veth), a container's published port shows the host port
// topo chose (the one the firewall publishes), and inspect changes nothing.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "reconciler/watcher/status.hpp"
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

using nlohmann::json;

// Two containers on a bridge: one with a static address, one publishing
// port 80 on a host port topo chooses.
const char* kManifest = R"(version: 1
networks:
  - name: inet
    subnet: 172.30.61.0/24
containers:
  - name: iweb
    ports: ["80"]
  - name: idb
attachments:
  - container: iweb
    network: inet
  - container: idb
    network: inet
    ipv4: 172.30.61.50
    aliases: [database]
)";

class E2EInspect : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    dir_.write("topology.yaml", kManifest);
    CmdResult a = apply();
    ASSERT_EQ(a.exit_code, 0) << a.describe();
  }

  json inspect_json(const std::string& kind, const std::string& name) {
    CmdResult r = topo({"inspect", kind, name, dir_.path(), "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    if (r.exit_code != 0) return json();
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j.value("format_version", 0), 1) << r.out;
    return j.is_discarded() ? json() : j.value(kind, json());
  }

  // The host ports of the publish intents, as `topo show` lists them.
  std::vector<std::string> published() {
    CmdResult s = topo({"show", "-o", "json"});
    EXPECT_EQ(s.exit_code, 0) << s.describe();
    std::vector<std::string> out;
    const json doc = json::parse(s.out);
    for (const auto& r : doc.at("resources"))
      if (r.at("kind") == "firewall" && r.at("attrs").value("intent", "") == "publish")
        out.push_back(r.at("name").get<std::string>());
    return out;
  }
};

TEST_F(E2EInspect, NetworkMembersAreWhatTheKernelHas) {
  const json net = inspect_json("network", "inet");
  ASSERT_TRUE(net.is_object());
  EXPECT_EQ(net.at("driver"), "bridge");
  EXPECT_EQ(net.at("subnets").at(0).at("subnet"), "172.30.61.0/24");
  EXPECT_EQ(net.at("subnets").at(0).at("gateway"), "172.30.61.1");
  EXPECT_EQ(net.at("host_bridge"), "br-inet");
  EXPECT_EQ(net.at("options").at("icc"), true);
  const json& members = net.at("members");
  ASSERT_EQ(members.size(), 2u) << net.dump(2);
  EXPECT_EQ(members[0].at("container"), "idb");
  EXPECT_EQ(members[1].at("container"), "iweb");
  for (const json& m : members) {
    const std::string c = m.at("container");
    SCOPED_TRACE(c);
    const std::string ifname = m.at("interface");
    EXPECT_EQ(ifname, "eth0");
    // The address and its length, as `ip -n C -j addr` has them.
    const json addrs = ip_json({"-n", c, "-4", "addr", "show", "dev", ifname});
    ASSERT_EQ(addrs.size(), 1u) << addrs.dump();
    ASSERT_EQ(addrs[0].at("addr_info").size(), 1u) << addrs.dump();
    const json& info = addrs[0].at("addr_info")[0];
    EXPECT_EQ(m.at("ipv4"), info.at("local")) << addrs.dump();
    EXPECT_EQ(m.at("ipv4_prefix"), info.at("prefixlen")) << addrs.dump();
    // The MAC, as `ip -n C -j link` has it.
    const json link = link_json(c, ifname);
    ASSERT_FALSE(link.is_null());
    EXPECT_EQ(m.at("mac"), link.at("address")) << link.dump();
    // The host end of the pair, a port of the bridge.
    const std::string host_end = link_with_alias("topo-peer:" + c + "/" + ifname);
    EXPECT_EQ(m.at("host_veth"), host_end) << kernel_snapshot();
    EXPECT_EQ(m.at("default_route"), true);
  }
  EXPECT_EQ(members[0].at("ipv4"), "172.30.61.50");
  EXPECT_EQ(members[0].at("aliases"), json::array({"database"}));
}

TEST_F(E2EInspect, ContainerShowsTheChosenHostPortAndItsRoute) {
  const json web = inspect_json("container", "iweb");
  ASSERT_TRUE(web.is_object());
  const char* netns_dir = std::getenv("TOPO_NETNS_DIR");
  ASSERT_NE(netns_dir, nullptr);
  EXPECT_EQ(web.at("netns"), std::string(netns_dir) + "/iweb");
  ASSERT_EQ(web.at("ports").size(), 1u) << web.dump(2);
  const json& port = web.at("ports")[0];
  EXPECT_EQ(port.at("container_port"), 80);
  EXPECT_EQ(port.at("host_port_chosen"), true);
  ASSERT_TRUE(port.at("host_port").is_number_integer()) << port.dump();
  const int chosen = port.at("host_port");
  // The port the firewall publishes.
  const std::vector<std::string> intents = published();
  EXPECT_NE(std::find(intents.begin(), intents.end(), "publish 0.0.0.0:" + std::to_string(chosen) + "/tcp"),
            intents.end())
      << "inspect says " << chosen << "; the firewall publishes:\n"
      << json(intents).dump(2);
  // The default route, as `ip -n` has it.
  const json routes = ip_json({"-n", "iweb", "-4", "route", "show", "default"});
  ASSERT_EQ(routes.size(), 1u) << routes.dump();
  ASSERT_GE(web.at("routes").size(), 1u) << web.dump(2);
  EXPECT_EQ(web.at("routes")[0].at("destination"), "default");
  EXPECT_EQ(web.at("routes")[0].at("via"), routes[0].at("gateway"));
  EXPECT_EQ(web.at("routes")[0].at("interface"), routes[0].at("dev"));

  // With the state dir lost, the port still reads back from the kernel.
  const char* state = std::getenv("TOPO_STATE_DIR");
  ASSERT_NE(state, nullptr);
  for (const auto& entry : std::filesystem::directory_iterator(state)) std::filesystem::remove_all(entry.path());
  const json again = inspect_json("container", "iweb");
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again.at("ports")[0].at("host_port"), chosen);
}

TEST_F(E2EInspect, TextShowsTheMembersTableAndInspectChangesNothing) {
  const std::string before = kernel_snapshot();
  CmdResult r = topo({"inspect", "network", "inet", dir_.path()});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find("members:\n  CONTAINER  INTERFACE  IPV4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("172.30.61.50/24"), std::string::npos) << r.out;
  CmdResult c = topo({"inspect", "container", "idb", dir_.path()});
  ASSERT_EQ(c.exit_code, 0) << c.describe();
  EXPECT_NE(c.out.find("iweb iweb.inet"), std::string::npos) << "idb's hosts entries name iweb\n" << c.out;
  EXPECT_EQ(kernel_snapshot(), before);
}

TEST_F(E2EInspect, AnUnknownNameIsAnErrorNamingTheOnesThereAre) {
  CmdResult r = topo({"inspect", "network", "nope", dir_.path()});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("no network \"nope\""), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("inet"), std::string::npos) << r.describe();
  CmdResult j = topo({"inspect", "container", "nope", dir_.path(), "-o", "json"});
  EXPECT_EQ(j.exit_code, 1) << j.describe();
  const json doc = json::parse(j.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << j.describe();
  EXPECT_EQ(doc.value("ok", true), false);
  EXPECT_EQ(doc.value("command", ""), "inspect");
  ASSERT_EQ(doc.at("errors").size(), 1u) << doc.dump(2);
  const std::string message = doc.at("errors")[0].value("message", "");
  EXPECT_NE(message.find("no container \"nope\""), std::string::npos) << message;
  EXPECT_NE(message.find("idb, iweb"), std::string::npos) << message;
}

// Without PATH, inspect reads the manifests the controller keeps in force:
// the PATH its status file in the state dir names.
TEST_F(E2EInspect, WithoutPathItReadsTheManifestsTheControllerWatches) {
  const char* state = std::getenv("TOPO_STATE_DIR");
  ASSERT_NE(state, nullptr);
  const std::string status = watcher::status_path(state);
  std::filesystem::remove(status);
  CmdResult none = topo({"inspect", "network", "inet"});
  EXPECT_EQ(none.exit_code, 1) << none.describe();
  EXPECT_NE(none.err.find("name the manifests (PATH...)"), std::string::npos) << none.describe();

  watcher::WatchStatus s;
  s.path = dir_.path();
  std::ofstream(status) << watcher::status_to_json(s);
  std::filesystem::permissions(status, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  CmdResult r = topo({"inspect", "network", "inet", "-o", "json"});
  std::filesystem::remove(status);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const json doc = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc.at("network").at("members").size(), 2u) << r.out;
}

}  // namespace
}  // namespace topo::e2e
