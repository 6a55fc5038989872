// Host ports topo chooses for published ports written without one ("80",
// "127.0.0.1::80"): issue 15. Chosen from the ephemeral range, clear of
// every other published port and of bound sockets, and sticky: remembered,
// or read back from the firewall's publish intent when the state dir is lost.
#include "reconciler/ipam/host_ports.hpp"

#include <gtest/gtest.h>

#include "providers/firewall/firewall_provider.hpp"
#include "reconciler/resources/firewall.hpp"
#include "reconciler/state/state_store.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo::testing {
namespace {

PortMapping chosen(int container_port, const std::string& host_ip = "", const std::string& protocol = "tcp") {
  PortMapping pm;
  pm.container_port = container_port;
  pm.host_ip = host_ip;
  pm.protocol = protocol;
  return pm;
}

PortMapping fixed(int host_port, int container_port, const std::string& protocol = "tcp") {
  PortMapping pm = chosen(container_port, "", protocol);
  pm.host_port = host_port;
  return pm;
}

Desired model(std::vector<PortMapping> web, std::vector<PortMapping> api = {}) {
  Desired d;
  d.networks = {bridge_network("n", "172.10.0.0/24")};
  Container w = container("web"), a = container("api");
  w.ports = std::move(web);
  a.ports = std::move(api);
  d.containers = {a, w};
  d.attachments = {attach("api", "n", "172.10.0.6"), attach("web", "n", "172.10.0.5")};
  return d;
}

HostPortFacts range(int low, int high) {
  HostPortFacts f;
  f.low = low;
  f.high = high;
  return f;
}

int port_of(const Allocations& a, const std::string& container, const PortMapping& pm) {
  auto it = a.find(host_port_key(container, pm));
  return it == a.end() ? 0 : it->second.host_port;
}

TEST(HostPorts, KeysNameProtocolContainerAddressAndContainerPort) {
  EXPECT_EQ(host_port_key("web", chosen(80)), "port:tcp/web/*:80");
  EXPECT_EQ(host_port_key("web", chosen(53, "127.0.0.1", "udp")), "port:udp/web/127.0.0.1:53");
}

TEST(HostPorts, TheLowestFreePortOfTheRangeAwayFromPublishedAndBoundOnes) {
  Desired d = model({chosen(80), chosen(81, "127.0.0.1"), chosen(53, "", "udp")}, {fixed(40000, 80)});
  HostPortFacts host = range(40000, 40010);
  host.bound = {{"tcp", 40001}};
  Allocations a;
  auto r = assign_host_ports(d, {}, {}, host, a);
  EXPECT_TRUE(r.errors.empty());
  // 40000 is api's, 40001 a program's; udp is counted apart.
  EXPECT_EQ(port_of(a, "web", chosen(80)), 40002);
  EXPECT_EQ(port_of(a, "web", chosen(81, "127.0.0.1")), 40003);
  EXPECT_EQ(port_of(a, "web", chosen(53, "", "udp")), 40000);
}

TEST(HostPorts, ARememberedPortIsKeptEvenWhenALowerOneIsFree) {
  Desired d = model({chosen(80)});
  Allocations remembered;
  remembered[host_port_key("web", chosen(80))].host_port = 40007;
  Allocations a;
  assign_host_ports(d, remembered, {}, range(40000, 40010), a);
  EXPECT_EQ(port_of(a, "web", chosen(80)), 40007);
}

// The state dir is gone: the firewall's publish intent, marked as chosen,
// still names the port.
TEST(HostPorts, WithoutTheStateDirThePortIsReadBackFromTheFirewall) {
  Desired d = model({chosen(80)});
  Allocations first;
  assign_host_ports(d, {}, {}, range(40000, 40010), first);
  first["n/web/eth0"].ipv4 = IpAddress::parse("172.10.0.5");
  std::vector<Resource> rendered;
  render_firewall(d, first, rendered);
  Observed o;
  for (const Resource& r : rendered)
    if (r.kind == Kind::Firewall && r.attr(firewall::fattr::intent) == "publish") {
      EXPECT_EQ(r.name, "publish 0.0.0.0:40000/tcp");
      EXPECT_EQ(r.attr(firewall::fattr::chosen), "yes");
      // What the kernel gives back: the rule's label, decoded.
      auto label = firewall::decode_label(firewall::encode_label(r, 0, 1));
      ASSERT_TRUE(label);
      o.owned.push_back(label->resource);
    }
  ASSERT_EQ(o.owned.size(), 1u);
  // A port below it came free meanwhile (api's), and nothing is remembered.
  Allocations again;
  assign_host_ports(model({chosen(80)}, {chosen(8080)}), {}, o, range(39999, 40010), again);
  EXPECT_EQ(port_of(again, "web", chosen(80)), 40000);
  EXPECT_EQ(port_of(again, "api", chosen(8080)), 39999);
}

// A port written in the manifests wins over a choice made earlier: the
// chosen one moves (it was topo's to choose).
TEST(HostPorts, AWrittenPortTakesARememberedChoice) {
  Desired d = model({chosen(80)}, {fixed(40007, 80)});
  Allocations remembered;
  remembered[host_port_key("web", chosen(80))].host_port = 40007;
  Allocations a;
  assign_host_ports(d, remembered, {}, range(40000, 40010), a);
  EXPECT_EQ(port_of(a, "web", chosen(80)), 40000);
}

TEST(HostPorts, AnotherStacksPublishedPortIsNotChosen) {
  Observed o;
  Resource held;
  held.kind = Kind::Firewall;
  held.name = "publish 0.0.0.0:40000/tcp";
  held.attrs = {{"intent", "publish"}, {"host_port", "40000"}, {"protocol", "tcp"}};
  held.stack = "other";
  o.held_resources.push_back(held);
  Allocations a;
  assign_host_ports(model({chosen(80)}), {}, o, range(40000, 40010), a);
  EXPECT_EQ(port_of(a, "web", chosen(80)), 40001);
}

TEST(HostPorts, AFullRangeIsAnErrorNamingTheMapping) {
  Desired d = model({chosen(80), chosen(81)});
  Allocations a;
  auto r = assign_host_ports(d, {}, {}, range(40000, 40000), a);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("no free tcp host port left in 40000-40000 for its port 81"), std::string::npos)
      << r.errors[0];
}

TEST(HostPorts, TheChoiceIsRememberedInTheStateFile) {
  Allocations a;
  a[host_port_key("web", chosen(80))].host_port = 40002;
  Allocations back = allocations_from_json(allocations_to_json(a));
  EXPECT_EQ(back.at("port:tcp/web/*:80").host_port, 40002);
}

}  // namespace
}  // namespace topo::testing
