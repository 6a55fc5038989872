// Subnets from the address pools for networks that name none (issue 15):
// the choice skips every other network and the host's own, and is sticky
// (kernel first, then the state dir). Pure: hand-built observations.
#include "reconciler/ipam/pool_subnets.hpp"

#include <gtest/gtest.h>

#include "providers/p2p/p2p_provider.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

Network pool_network(const std::string& name, const std::string& stack = kDefaultStack) {
  Network n;
  n.name = name;
  n.stack = stack;
  settings_of<BridgeSettings>(n).bridge = default_bridge_name(name);
  n.subnet_from_pools = true;
  return n;
}

Resource address(const std::string& ns, const std::string& dev, const std::string& cidr, const std::string& origin,
                 const std::string& stack = kDefaultStack) {
  Resource r;
  r.kind = Kind::Address;
  r.ns = ns;
  r.name = dev + "/" + cidr;
  r.attrs[attr::dev] = dev;
  r.attrs[attr::address] = cidr;
  r.origin = origin;
  r.stack = stack;
  return r;
}

std::string subnet_of(const Desired& d, const std::string& network) {
  const Network* n = d.network(network);
  if (!n || n->subnets.empty()) return "none";
  return n->subnets.front().subnet.str();
}

struct Fixture {
  Desired d;
  Observed observed;
  PoolChoices remembered;
  std::vector<AddressPool> pools = default_address_pools();
  PoolResult run() { return assign_pool_subnets(d, remembered, observed, pools); }
};

TEST(PoolSubnets, OnAnEmptyHostNetworksGetTheFirstSubnetsInNameOrder) {
  Fixture f;
  f.d.networks = {pool_network("a"), pool_network("b")};
  const PoolResult r = f.run();
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.17.0.0/16");
  EXPECT_EQ(subnet_of(f.d, "b"), "172.18.0.0/16");
  // The gateway is the first host address, as for a written subnet.
  EXPECT_EQ(f.d.networks[0].subnets[0].gateway->str(), "172.17.0.1");
  EXPECT_FALSE(f.d.networks[0].subnets[0].ip_range);
  EXPECT_EQ(r.chosen.at("a"), (PoolChoice{*IpPrefix::parse("172.17.0.0/16"), kDefaultStack}));
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0],
            "network a: subnet 172.17.0.0/16 taken from the address pools; it stays while the network exists");
}

TEST(PoolSubnets, ANetworkWithoutAGatewayGetsNone) {
  Fixture f;
  Network n;
  n.name = "l";
  n.driver = Driver{"p2p"};
  n.settings = std::make_shared<const P2pSettings>();
  n.subnet_from_pools = true;
  f.d.networks = {n};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "l"), "172.17.0.0/16");
  EXPECT_FALSE(f.d.networks[0].subnets[0].gateway);
}

// Renaming an attachment's interface makes its link anew; until then the old
// link's addresses are still in the kernel, marked for an attachment the
// manifests no longer have. They are the network's own, not a reason to move
// it (found by hand: a p2p member's interface renamed moved the link to the
// next /16).
TEST(PoolSubnets, AddressesLeftByARenamedInterfaceDoNotMoveTheSubnet) {
  Fixture f;
  Network n;
  n.name = "wire";
  n.driver = Driver{"p2p"};
  n.settings = std::make_shared<const P2pSettings>();
  n.subnet_from_pools = true;
  f.d.networks = {pool_network("lan"), n};
  Attachment blue, red;
  blue.container = "blue";
  blue.interface = "w1";  // was w0
  blue.network = red.network = "wire";
  red.container = "red";
  red.interface = "w0";
  f.d.attachments = {blue, red};
  f.remembered["lan"] = PoolChoice{*IpPrefix::parse("172.17.0.0/16"), kDefaultStack};
  f.remembered["wire"] = PoolChoice{*IpPrefix::parse("172.18.0.0/16"), kDefaultStack};
  f.observed.owned = {address("", "br-lan", "172.17.0.1/16", "network/lan"),
                      address("blue", "w0", "172.18.0.1/16", "attachment/blue/w0"),  // the old name's
                      address("red", "w0", "172.18.0.2/16", "container/red")};      // the far end's
  const PoolResult r = f.run();
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(subnet_of(f.d, "wire"), "172.18.0.0/16");
  EXPECT_EQ(subnet_of(f.d, "lan"), "172.17.0.0/16");
  EXPECT_TRUE(r.notes.empty()) << r.notes.front();
}

TEST(PoolSubnets, NetworksWithASubnetAreLeftAlone) {
  Fixture f;
  f.d.networks = {bridge_network("fixed", "10.1.0.0/24")};
  const PoolResult r = f.run();
  EXPECT_TRUE(r.chosen.empty());
  EXPECT_EQ(subnet_of(f.d, "fixed"), "10.1.0.0/24");
}

TEST(PoolSubnets, SkipsSubnetsTheManifestsWrite) {
  Fixture f;
  f.d.networks = {pool_network("a"), bridge_network("fixed", "172.17.3.0/24")};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.18.0.0/16");
}

TEST(PoolSubnets, SkipsTheHostsOwnAddressesAndRoutes) {
  Fixture f;
  f.d.networks = {pool_network("a"), pool_network("b")};
  f.observed.host_networks = {{"172.17.0.0/16", "route 172.17.0.0/16 dev lo", "lo"},
                              {"172.18.5.7/24", "address 172.18.5.7/24 on eth0", "eth0"}};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.19.0.0/16");
  EXPECT_EQ(subnet_of(f.d, "b"), "172.20.0.0/16");
}

TEST(PoolSubnets, SkipsNetworksOfOtherStacksInTheKernel) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.observed.held_resources = {address("", "br-theirs", "172.17.0.1/16", "network/theirs", "other")};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.18.0.0/16");
}

TEST(PoolSubnets, SkipsWhatOtherStacksRememberedForNetworksNotInTheManifests) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.remembered["theirs"] = PoolChoice{*IpPrefix::parse("172.17.0.0/16"), "other"};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.18.0.0/16");
}

TEST(PoolSubnets, ANetworkInTheKernelKeepsItsSubnetWithoutTheStateDir) {
  Fixture f;
  f.d.networks = {pool_network("a"), pool_network("b")};
  // b was made first, when 172.17 and 172.18 were taken; the state dir is lost.
  f.observed.owned = {address("", "br-b", "172.19.0.1/16", "network/b")};
  const PoolResult r = f.run();
  EXPECT_EQ(subnet_of(f.d, "b"), "172.19.0.0/16");
  EXPECT_EQ(subnet_of(f.d, "a"), "172.17.0.0/16");
  // Only a fresh choice is news.
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("network a:"), std::string::npos);
}

TEST(PoolSubnets, TheKernelWinsOverTheStateDirAndOverNewPools) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.observed.owned = {address("", "br-a", "172.19.0.1/16", "network/a")};
  f.remembered["a"] = PoolChoice{*IpPrefix::parse("172.25.0.0/16"), kDefaultStack};
  f.pools = parse_address_pools({"base=10.10.0.0/16,size=24"}).pools;
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.19.0.0/16");
}

TEST(PoolSubnets, AnAddressAddedToTheBridgeByHandDoesNotMoveTheSubnet) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  // Listed first, and not the first host address of its prefix.
  f.observed.owned = {address("", "br-a", "10.9.9.9/24", "network/a"),
                      address("", "br-a", "172.19.0.1/16", "network/a")};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.19.0.0/16");
  // With the state dir, what it remembers wins among what the kernel shows.
  Fixture g;
  g.d.networks = {pool_network("a")};
  g.observed.owned = {address("", "br-a", "172.19.0.1/16", "network/a"),
                      address("", "br-a", "10.9.9.1/24", "network/a")};
  g.remembered["a"] = PoolChoice{*IpPrefix::parse("172.19.0.0/16"), kDefaultStack};
  g.run();
  EXPECT_EQ(subnet_of(g.d, "a"), "172.19.0.0/16");
}

TEST(PoolSubnets, AContainerAddressTellsTheSubnetOfANetworkWithoutABridgeAddress) {
  // A driver without a gateway on the host (p2p), or a bridge whose address
  // was removed by hand: its attachments' addresses carry the prefix too.
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.d.containers = {container("c1")};
  f.d.attachments = {attach("c1", "a")};
  f.observed.owned = {address("c1", "eth0", "172.21.0.2/16", "attachment/c1/eth0")};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.21.0.0/16");
}

TEST(PoolSubnets, TheStateDirIsKeptWhileTheSubnetIsFree) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.remembered["a"] = PoolChoice{*IpPrefix::parse("172.25.0.0/16"), kDefaultStack};
  const PoolResult r = f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.25.0.0/16");
  EXPECT_TRUE(r.notes.empty());
}

TEST(PoolSubnets, ARememberedSubnetNowTakenIsChosenAgainAndSaysWhy) {
  Fixture f;
  f.d.networks = {pool_network("a")};
  f.remembered["a"] = PoolChoice{*IpPrefix::parse("172.17.0.0/16"), kDefaultStack};
  f.observed.host_networks = {{"172.17.0.0/16", "route 172.17.0.0/16 dev lo", "lo"}};
  const PoolResult r = f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.18.0.0/16");
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("172.17.0.0/16, which it had before, now overlaps the host's route 172.17.0.0/16 dev lo"),
            std::string::npos)
      << r.notes[0];
}

TEST(PoolSubnets, ARememberedChoiceOfAnotherStacksNetworkOfTheSameNameIsNotTaken) {
  Fixture f;
  f.d.networks = {pool_network("a", "mine")};
  f.remembered["a"] = PoolChoice{*IpPrefix::parse("172.25.0.0/16"), "theirs"};
  f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "172.17.0.0/16");
}

TEST(PoolSubnets, AWrittenSubnetOverAKeptOneIsAnError) {
  Fixture f;
  f.d.networks = {pool_network("a"), bridge_network("b", "172.17.8.0/24")};
  f.observed.owned = {address("", "br-a", "172.17.0.1/16", "network/a")};
  const PoolResult r = f.run();
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("network a has the subnet 172.17.0.0/16"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("subnet of network b (172.17.8.0/24) overlaps"), std::string::npos) << r.errors[0];
}

TEST(PoolSubnets, ExhaustedPoolsAreAnErrorNamingThem) {
  Fixture f;
  f.d.networks = {pool_network("a"), pool_network("b")};
  f.pools = parse_address_pools({"base=10.10.0.0/24,size=24"}).pools;
  const PoolResult r = f.run();
  EXPECT_EQ(subnet_of(f.d, "a"), "10.10.0.0/24");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("network b: no free subnet left in the address pools (10.10.0.0/24 as /24)"),
            std::string::npos)
      << r.errors[0];
  EXPECT_NE(r.errors[0].find("--address-pools"), std::string::npos);
}

}  // namespace
}  // namespace topo
