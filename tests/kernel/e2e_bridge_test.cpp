// Done-when 2: the quickstart's user-defined bridge, checked on the kernel.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

class E2EBridge : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    std::ifstream in(std::string(TOPO_EXAMPLES) + "/quickstart/topology.yaml");
    ASSERT_TRUE(in) << "examples/quickstart/topology.yaml is missing";
    std::stringstream text;
    text << in.rdbuf();
    dir_.write("topology.yaml", text.str());
  }
};

bool has_flag(const nlohmann::json& link, const char* flag) {
  for (const auto& f : link.value("flags", nlohmann::json::array()))
    if (f == flag) return true;
  return false;
}

TEST_F(E2EBridge, QuickstartWiresTwoContainersOnABridge) {
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();

  // The gateway address sits on a bridge in the (sandbox's) host namespace.
  nlohmann::json br = link_json("", "br-network01");
  ASSERT_FALSE(br.is_null()) << "no bridge br-network01\n" << kernel_snapshot();
  EXPECT_EQ(br["linkinfo"].value("info_kind", ""), "bridge");
  EXPECT_TRUE(has_flag(br, "UP"));
  auto gw_addrs = ipv4_addrs("", "br-network01");
  EXPECT_NE(std::find(gw_addrs.begin(), gw_addrs.end(), "172.10.0.1/24"), gw_addrs.end())
      << kernel_snapshot();

  std::map<std::string, std::string> addr;
  for (const std::string c : {"c1", "c2"}) {
    SCOPED_TRACE(c);
    auto ns = netns_list();
    ASSERT_NE(std::find(ns.begin(), ns.end(), c), ns.end()) << "no namespace " << c;

    auto lo = link_json(c, "lo");
    ASSERT_FALSE(lo.is_null());
    EXPECT_TRUE(has_flag(lo, "UP")) << "lo is down in " << c;

    auto eth0 = link_json(c, "eth0");
    ASSERT_FALSE(eth0.is_null()) << kernel_snapshot();
    EXPECT_TRUE(has_flag(eth0, "UP"));
    auto addrs = ipv4_addrs(c, "eth0");
    ASSERT_EQ(addrs.size(), 1u) << kernel_snapshot();
    const std::string& a4 = addrs.front();
    EXPECT_EQ(a4.rfind("172.10.0.", 0), 0u) << a4;
    EXPECT_EQ(a4.substr(a4.find('/')), "/24");
    EXPECT_NE(a4, "172.10.0.1/24") << "a container got the gateway address";
    addr[c] = a4.substr(0, a4.find('/'));

    auto routes = ip_json({"-n", c, "-4", "route", "show", "default"});
    ASSERT_EQ(routes.size(), 1u) << routes.dump();
    EXPECT_EQ(routes[0].value("gateway", ""), "172.10.0.1");
    EXPECT_EQ(routes[0].value("dev", ""), "eth0");

    // The host end of the veth is a port of the bridge.
    std::string host_end = link_with_alias("topo-peer:" + c + "/eth0");
    ASSERT_FALSE(host_end.empty()) << "no host veth end with alias topo-peer:" << c << "/eth0\n"
                                   << kernel_snapshot();
    EXPECT_EQ(link_json("", host_end).value("master", ""), "br-network01");
  }
  EXPECT_EQ(addr["c2"], "172.10.0.100") << "c2's static address";
  EXPECT_NE(addr["c1"], addr["c2"]);

  EXPECT_TRUE(ping("c1", addr["c2"])) << "c1 cannot reach c2";
  EXPECT_TRUE(ping("c2", addr["c1"])) << "c2 cannot reach c1";
  EXPECT_TRUE(ping("c1", "172.10.0.1")) << "c1 cannot reach the gateway";
  EXPECT_TRUE(ping("c2", "172.10.0.1")) << "c2 cannot reach the gateway";

  CmdResult show = topo({"show"});
  EXPECT_EQ(show.exit_code, 0) << show.describe();
  EXPECT_NE(show.out.find("br-network01"), std::string::npos) << show.describe();

  CmdResult d = destroy();
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_TRUE(netns_list().empty()) << kernel_snapshot();
  EXPECT_TRUE(topo_aliases().empty()) << kernel_snapshot();
  EXPECT_FALSE(link_exists("", "br-network01"));
}

}  // namespace
}  // namespace topo::e2e
