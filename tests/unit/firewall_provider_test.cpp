// The firewall provider: which intents a model renders, with which
// attributes, and the labels that carry them through the kernel.
#include "providers/firewall/firewall_provider.hpp"

#include <gtest/gtest.h>

#include "providers/bridge/bridge_provider.hpp"
#include "reconciler/resources/firewall.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
namespace {

using namespace testing;
using firewall::fattr::intent;

std::map<std::string, Resource> render(const Desired& d, const Allocations& a = {}) {
  std::vector<Resource> out;
  render_firewall(d, a, out);
  std::map<std::string, Resource> by;
  for (auto& r : out) by[to_string(r.kind) + " " + r.name] = r;
  return by;
}

std::vector<std::string> names(const std::map<std::string, Resource>& m) {
  std::vector<std::string> v;
  for (const auto& [k, r] : m) v.push_back(k);
  return v;
}

TEST(FirewallProvider, NoNetworksNoFirewallNoForwarding) {
  EXPECT_TRUE(render(Desired{}).empty());
}

TEST(FirewallProvider, BridgeNetworkGetsMasqueradeTableAndForwarding) {
  Desired d;
  d.networks.push_back(bridge_network("net1", "172.10.0.0/24"));
  auto r = render(d);
  // Isolated even alone: from other stacks' networks, applied later.
  EXPECT_EQ(names(r), (std::vector<std::string>{"firewall isolate net1", "firewall masquerade net1",
                                                "firewall table inet topo", "sysctl net.ipv4.ip_forward"}));
  const Resource& m = r.at("firewall masquerade net1");
  EXPECT_EQ(m.attr(intent), "masquerade");
  EXPECT_EQ(m.attr("bridge"), "br-net1");
  EXPECT_EQ(m.attr("subnets"), "172.10.0.0/24");
  EXPECT_EQ(m.attr("rules"), "all");
  EXPECT_EQ(r.at("sysctl net.ipv4.ip_forward").attr(attr::value), "1");
}

TEST(FirewallProvider, MasqueradeOffRendersNoNat) {
  Desired d;
  Network n = bridge_network("net1", "172.10.0.0/24");
  settings_of<BridgeSettings>(n).masquerade = false;
  d.networks.push_back(n);
  EXPECT_FALSE(render(d).count("firewall masquerade net1"));
}

TEST(FirewallProvider, IsolationIsOneIntentPerIsolatedNetwork) {
  Desired d;
  d.networks = {bridge_network("a", "10.1.0.0/24"), bridge_network("b", "10.2.0.0/24"), bridge_network("c", "10.3.0.0/24")};
  settings_of<BridgeSettings>(d.networks[1]).BridgeOptions::isolated = false;
  settings_of<BridgeSettings>(d.networks[2]).BridgeOptions::isolated = false;
  auto r = render(d);
  ASSERT_TRUE(r.count("firewall isolate a"));
  EXPECT_EQ(r.at("firewall isolate a").attr("bridge"), "br-a");
  EXPECT_FALSE(r.count("firewall isolate b")) << "not isolated";
  EXPECT_FALSE(r.count("firewall isolate c")) << "not isolated";
}

TEST(FirewallProvider, IntentsCarryTheirStackAndNameItWhenNotDefault) {
  Desired d;
  Network n = bridge_network("web", "10.1.0.0/24");
  n.stack = "shop";
  d.networks = {n, bridge_network("db", "10.2.0.0/24")};
  auto r = render(d);
  ASSERT_TRUE(r.count("firewall masquerade shop/web"));
  EXPECT_EQ(r.at("firewall masquerade shop/web").stack, "shop");
  EXPECT_EQ(r.at("firewall isolate shop/web").stack, "shop");
  EXPECT_EQ(r.at("firewall masquerade db").stack, "default");
  EXPECT_EQ(r.at("firewall table inet topo").stack, "") << "shared by every stack";
  EXPECT_EQ(r.at("sysctl net.ipv4.ip_forward").stack, "");
}

TEST(FirewallProvider, InternalNetworkIsClosedWithoutNatOrForwardingNeed) {
  Desired d;
  Network n = bridge_network("vault", "10.9.0.0/24");
  n.internal = true;
  settings_of<BridgeSettings>(n).masquerade = false;
  d.networks = {n, bridge_network("a", "10.1.0.0/24")};
  auto r = render(d);
  EXPECT_TRUE(r.count("firewall internal vault"));
  EXPECT_EQ(r.at("firewall internal vault").attr("bridge"), "br-vault");
  EXPECT_FALSE(r.count("firewall masquerade vault"));
  EXPECT_FALSE(r.count("firewall isolate vault")) << "internal already drops it";
  Desired only;
  only.networks = {n};
  EXPECT_FALSE(render(only).count("sysctl net.ipv4.ip_forward")) << "an internal network forwards nothing";
}

TEST(FirewallProvider, RoutedIsOneIntentPerOptedInNetwork) {
  Desired d;
  d.networks = {bridge_network("a", "10.1.0.0/24"), bridge_network("b", "10.2.0.0/24")};
  settings_of<BridgeSettings>(d.networks[0]).routed = true;
  auto r = render(d);
  ASSERT_TRUE(r.count("firewall routed a")) << ::testing::PrintToString(names(r));
  EXPECT_EQ(r.at("firewall routed a").attr("bridge"), "br-a");
  EXPECT_FALSE(r.count("firewall routed b"));
}

TEST(FirewallProvider, IccOffDropsEachPortAndNeedsTheBridgeTable) {
  Desired d;
  Network n = bridge_network("quiet", "10.3.0.0/24");
  settings_of<BridgeSettings>(n).icc = false;
  d.networks = {n};
  d.containers = {container("q1"), container("q2")};
  d.attachments = {attach("q1", "quiet"), attach("q2", "quiet")};
  auto r = render(d);
  ASSERT_TRUE(r.count("firewall icc-off quiet q1/eth0"));
  EXPECT_EQ(r.at("firewall icc-off quiet q1/eth0").attr("port"), host_veth_name("q1", "eth0"));
  EXPECT_TRUE(r.count("firewall icc-off quiet q2/eth0"));
  EXPECT_TRUE(r.count("firewall table bridge topo"));
}

TEST(FirewallProvider, PublishedPortsTargetTheContainersAddress) {
  Desired d;
  d.networks = {bridge_network("net1", "172.10.0.0/24")};
  Container web = container("web");
  PortMapping p;
  p.host_port = 8080;
  p.container_port = 80;
  web.ports.push_back(p);
  p.host_ip = "127.0.0.1";
  p.host_port = 5353;
  p.container_port = 53;
  p.protocol = "udp";
  web.ports.push_back(p);
  d.containers = {web};
  d.attachments = {attach("web", "net1")};
  Allocations a;
  a[attachment_key(d.attachments[0])].ipv4 = IpAddress::parse("172.10.0.5");
  auto r = render(d, a);
  ASSERT_TRUE(r.count("firewall publish 0.0.0.0:8080/tcp")) << ::testing::PrintToString(names(r));
  const Resource& pub = r.at("firewall publish 0.0.0.0:8080/tcp");
  EXPECT_EQ(pub.attr("to"), "172.10.0.5:80");
  EXPECT_EQ(pub.attr("container"), "web");
  EXPECT_EQ(pub.attr("subnet"), "172.10.0.0/24");
  EXPECT_EQ(pub.attr("protocol"), "tcp");
  EXPECT_EQ(r.at("firewall publish 127.0.0.1:5353/udp").attr("to"), "172.10.0.5:53");
  // Loopback publishing needs the bridge to carry 127/8 sources; only then.
  EXPECT_EQ(r.at("sysctl net.ipv4.conf.br-net1.route_localnet").attr(attr::value), "1");
  web.ports = {};
  d.containers = {web};
  EXPECT_FALSE(render(d, a).count("sysctl net.ipv4.conf.br-net1.route_localnet"));
}

// Issue 15: "8080:80" is published on every host address, 127.0.0.1
// included, so its bridge carries loopback sources as for "127.0.0.1:8080:80";
// a port on another specific address does not need it.
TEST(FirewallProvider, APortOnEveryAddressIsOnLoopbackToo) {
  Desired d;
  d.networks = {bridge_network("net1", "172.10.0.0/24")};
  Container web = container("web");
  PortMapping p;
  p.host_port = 8080;
  p.container_port = 80;
  web.ports.push_back(p);
  d.containers = {web};
  d.attachments = {attach("web", "net1")};
  Allocations a;
  a[attachment_key(d.attachments[0])].ipv4 = IpAddress::parse("172.10.0.5");
  EXPECT_EQ(render(d, a).at("sysctl net.ipv4.conf.br-net1.route_localnet").attr(attr::value), "1");
  d.containers[0].ports[0].host_ip = "10.0.0.1";
  EXPECT_FALSE(render(d, a).count("sysctl net.ipv4.conf.br-net1.route_localnet"));
}

// Issue 15, hairpin: a container reaching its own published port needs
// hairpin mode on its bridge port (br_netfilter DNATs at the bridge); the
// setting is tied to its veth, so a remade pair gets it again.
TEST(FirewallProvider, APublishingContainersBridgePortHasHairpinMode) {
  Desired d;
  d.networks = {bridge_network("net1", "172.10.0.0/24")};
  Container web = container("web");
  PortMapping p;
  p.host_port = 8080;
  p.container_port = 80;
  web.ports.push_back(p);
  d.containers = {web, container("quiet")};
  d.attachments = {attach("web", "net1"), attach("quiet", "net1")};
  Allocations a;
  a[attachment_key(d.attachments[0])].ipv4 = IpAddress::parse("172.10.0.5");
  a[attachment_key(d.attachments[0])].host_veth = "vethweb";
  a[attachment_key(d.attachments[1])].ipv4 = IpAddress::parse("172.10.0.6");
  a[attachment_key(d.attachments[1])].host_veth = "vethquiet";
  auto r = render(d, a);
  ASSERT_TRUE(r.count("sysctl sys.class.net.vethweb.brport.hairpin_mode")) << ::testing::PrintToString(names(r));
  const Resource& h = r.at("sysctl sys.class.net.vethweb.brport.hairpin_mode");
  EXPECT_EQ(h.attr(attr::value), "1");
  EXPECT_EQ(h.attr(attr::link), "web/eth0");
  EXPECT_FALSE(r.count("sysctl sys.class.net.vethquiet.brport.hairpin_mode")) << "only where ports are published";
}

// The same mapping twice, or 0.0.0.0 written beside the default: published once.
TEST(FirewallProvider, ARepeatedMappingIsPublishedOnce) {
  Desired d;
  d.networks = {bridge_network("net1", "172.10.0.0/24")};
  Container web = container("web");
  PortMapping p;
  p.host_port = 8080;
  p.container_port = 80;
  web.ports = {p, p};
  p.host_ip = "0.0.0.0";
  web.ports.push_back(p);
  d.containers = {web};
  d.attachments = {attach("web", "net1")};
  Allocations a;
  a[attachment_key(d.attachments[0])].ipv4 = IpAddress::parse("172.10.0.5");
  std::vector<Resource> out;
  render_firewall(d, a, out);
  EXPECT_EQ(std::count_if(out.begin(), out.end(), [](const Resource& r) { return r.name == "publish 0.0.0.0:8080/tcp"; }),
            1);
}

TEST(FirewallLabel, RoundTripsNameAndAttributes) {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = "publish 0.0.0.0:8080/tcp";
  r.attrs = {{"intent", "publish"}, {"to", "172.10.0.5:80"}, {"rules", "all"}};
  auto l = firewall::decode_label(firewall::encode_label(r, 1, 3));
  ASSERT_TRUE(l);
  EXPECT_EQ(l->index, 1);
  EXPECT_EQ(l->count, 3);
  EXPECT_EQ(l->resource.name, r.name);
  EXPECT_EQ(l->resource.attrs, (std::map<std::string, std::string>{{"intent", "publish"}, {"to", "172.10.0.5:80"}}));
}

TEST(FirewallLabel, CarriesTheStackUnlessDefault) {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = "masquerade shop/web";
  r.attrs = {{"intent", "masquerade"}};
  r.stack = "shop";
  const std::string label = firewall::encode_label(r, 0, 1);
  EXPECT_EQ(label, "topo|0/1|masquerade shop/web|intent=masquerade|shop");
  EXPECT_EQ(firewall::decode_label(label)->resource.stack, "shop");
  r.stack = "default";
  EXPECT_EQ(firewall::encode_label(r, 0, 1), "topo|0/1|masquerade shop/web|intent=masquerade")
      << "labels of the default stack are spelled as before stacks existed";
  EXPECT_EQ(firewall::decode_label("topo|0/1|masquerade web|intent=masquerade")->resource.stack, "default");
}

TEST(FirewallLabel, RejectsForeignComments) {
  EXPECT_FALSE(firewall::decode_label("my own rule"));
  EXPECT_FALSE(firewall::decode_label("topo|3/2|x|a=b"));
  EXPECT_FALSE(firewall::decode_label("topo|0/1||a=b"));
  EXPECT_FALSE(firewall::decode_label("topo|0/1|x|novalue"));
}

}  // namespace
}  // namespace topo
