// The cluster registry (reconciler/cluster/registry.*) against a real etcd
// started in the sandbox (etcd_server.hpp): several nodes taking subnets and
// addresses at once, restarts, lease expiry, release, and etcd going away.
#include <gtest/gtest.h>

#include <chrono>
#include <latch>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "reconciler/cluster/error.hpp"
#include "reconciler/cluster/etcd/client.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/watch.hpp"
#include "reconciler/cluster/registry.hpp"
#include "tests/kernel/etcd_server.hpp"

namespace topo::test {
namespace {

using namespace std::chrono_literals;
using cluster::AddressClaim;
using cluster::ClusterError;
using cluster::ClusterView;
using cluster::NodeInfo;
using cluster::Registry;
using cluster::RegistryOptions;
using cluster::SubnetLease;

IpPrefix P(const char* s) { return *IpPrefix::parse(s); }
IpAddress A(const char* s) { return *IpAddress::parse(s); }

etcd::ClientOptions options_for(const EtcdServer& server) {
  etcd::ClientOptions o;
  o.endpoints = {server.url()};
  o.connect_timeout = 1s;
  o.request_timeout = 3s;
  return o;
}

// membership_ttl: etcd's minimum with its default election timeout (1 s) is
// 2 s (1.5 times the election timeout, rounded up), so expiry tests take
// seconds, not half a minute.
RegistryOptions registry_options(std::chrono::seconds membership_ttl = 30s) {
  return {.prefix = "/topo", .membership_ttl = membership_ttl, .reservation_ttl = 3600s};
}

NodeInfo node(const std::string& name, int n) {
  return {.name = name, .address = "192.0.2." + std::to_string(n),
          .vtep_macs = {{"ov", "02:00:00:00:00:0" + std::to_string(n)}}};
}

// Polls until cond() holds or the timeout passes.
template <typename Cond>
bool eventually(Cond cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return cond();
}

std::vector<std::string> keys_naming(const ClusterView& v, const std::string& node) {
  std::vector<std::string> out;
  if (v.has_node(node)) out.push_back("node " + node);
  for (const auto& [key, s] : v.subnets)
    if (s.node == node) out.push_back(key);
  for (const auto& [key, a] : v.addresses)
    if (a.node == node) out.push_back(key);
  return out;
}

TEST(ClusterRegistry, ThreeNodesRacingGetDistinctSubnetsAndSeeEachOther) {
  EtcdServer server;
  const std::vector<std::string> names{"a", "b", "c"};
  std::vector<SubnetLease> got(names.size());
  std::vector<std::string> errors(names.size());
  std::vector<ClusterView> views(names.size());
  std::latch joined(static_cast<std::ptrdiff_t>(names.size())), leased(static_cast<std::ptrdiff_t>(names.size()));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < names.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        Registry reg(options_for(server), registry_options(), node(names[i], static_cast<int>(i) + 1));
        reg.join();
        joined.arrive_and_wait();  // then all lease at once: the same first candidate
        got[i] = reg.lease_subnet("ov", P("10.50.0.0/16"), 24);
        leased.arrive_and_wait();
        views[i] = reg.read();
      } catch (const std::exception& e) {
        errors[i] = e.what();
        joined.count_down();  // never leave the others waiting
        leased.count_down();
      }
    });
  for (auto& t : threads) t.join();
  std::set<IpPrefix> distinct;
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_EQ(errors[i], "") << names[i];
    EXPECT_EQ(got[i].node, names[i]);
    EXPECT_TRUE(P("10.50.0.0/16").contains(got[i].subnet)) << got[i].subnet.str();
    EXPECT_EQ(got[i].subnet.len, 24);
    distinct.insert(got[i].subnet);
  }
  EXPECT_EQ(distinct.size(), names.size()) << "two nodes got the same subnet";
  // The losers moved on to the next candidates, so together they hold the first three.
  EXPECT_EQ(distinct, (std::set<IpPrefix>{P("10.50.0.0/24"), P("10.50.1.0/24"), P("10.50.2.0/24")}));
  for (size_t i = 0; i < names.size(); ++i) {
    const ClusterView& v = views[i];
    EXPECT_EQ(v.nodes.size(), 3u) << names[i];
    EXPECT_TRUE(v.skipped.empty());
    for (size_t j = 0; j < names.size(); ++j) {
      ASSERT_NE(v.subnet_of("ov", names[j]), nullptr) << names[i] << " sees " << names[j];
      EXPECT_EQ(v.subnet_of("ov", names[j])->subnet, got[j].subnet);
      EXPECT_EQ(v.subnet_of("ov", names[j])->address, "192.0.2." + std::to_string(j + 1));
      EXPECT_EQ(v.subnet_of("ov", names[j])->vtep_mac, "02:00:00:00:00:0" + std::to_string(j + 1));
      EXPECT_EQ(v.nodes.at(names[j]).address, "192.0.2." + std::to_string(j + 1));
    }
  }
}

TEST(ClusterRegistry, ARestartedNodeGetsItsSubnetAndClaimsBack) {
  EtcdServer server;
  etcd::Client etcd(options_for(server));
  Registry other(options_for(server), registry_options(), node("b", 2));
  other.join();
  SubnetLease b_subnet = other.lease_subnet("ov", P("10.50.0.0/16"), 24);

  Registry first(options_for(server), registry_options(), node("a", 1));
  cluster::JoinResult j1 = first.join();
  EXPECT_FALSE(j1.reused_reservation);
  SubnetLease s1 = first.lease_subnet("ov", P("10.50.0.0/16"), 24);
  EXPECT_NE(s1.subnet, b_subnet.subnet);
  AddressClaim c1 = first.claim_address("ov", s1.subnet, s1.subnet.network().plus(1), "c1", "02:42:00:00:00:01");
  AddressClaim c2 = first.claim_address("ov", s1.subnet, s1.subnet.network().plus(1), "c2", "02:42:00:00:00:02");
  EXPECT_NE(c1.address, c2.address);
  // The controller dies: its membership lease goes (as at the end of its
  // TTL), the reservation lease lives on.
  etcd.lease_revoke(first.membership_lease());
  EXPECT_FALSE(first.read().has_node("a"));

  Registry again(options_for(server), registry_options(), node("a", 1));
  cluster::JoinResult j2 = again.join();
  EXPECT_FALSE(j2.reused_membership);
  EXPECT_TRUE(j2.reused_reservation);
  EXPECT_EQ(j2.reservation, first.reservation_lease()) << "found again from the keys' lease field";
  EXPECT_EQ(j2.subnets.size(), 1u);
  EXPECT_EQ(j2.addresses.size(), 2u);
  EXPECT_TRUE(again.read().has_node("a"));
  SubnetLease s2 = again.lease_subnet("ov", P("10.50.0.0/16"), 24);
  EXPECT_EQ(s2.subnet, s1.subnet);
  EXPECT_EQ(again.claim_address("ov", s2.subnet, s2.subnet.network().plus(1), "c2", "02:42:00:00:00:02").address,
            c2.address);
  EXPECT_EQ(again.claim_address("ov", s2.subnet, s2.subnet.network().plus(1), "c1", "02:42:00:00:00:01").address,
            c1.address);
  EXPECT_EQ(again.read().subnets.size(), 2u) << "nothing new was taken";
  EXPECT_EQ(again.read().addresses.size(), 2u);

  // A new VXLAN MAC (the device was made again) reaches the node key and the subnet lease.
  NodeInfo changed = node("a", 1);
  changed.vtep_macs["ov"] = "02:00:00:00:00:aa";
  again.update_node(changed);
  ClusterView after = again.read();
  EXPECT_EQ(after.nodes.at("a").vtep_macs.at("ov"), "02:00:00:00:00:aa");
  EXPECT_EQ(after.subnet_of("ov", "a")->vtep_mac, "02:00:00:00:00:aa");
  EXPECT_EQ(after.subnet_of("ov", "a")->lease, again.reservation_lease());
  EXPECT_EQ(after.subnet_of("ov", "b")->vtep_mac, "02:00:00:00:00:02") << "b's untouched";

  // A restart within the membership TTL keeps the node key's lease too.
  Registry third(options_for(server), registry_options(), node("a", 1));
  cluster::JoinResult j3 = third.join();
  EXPECT_TRUE(j3.reused_membership);
  EXPECT_EQ(j3.membership, again.membership_lease());
}

// Two machines given one --node: the second is refused while the first's
// registration lives, and nothing of the first's changes.
TEST(ClusterRegistry, ASecondMachineWithTheSameNameIsRefused) {
  EtcdServer server;
  Registry first(options_for(server), registry_options(), node("a", 1));
  first.join();
  SubnetLease s = first.lease_subnet("ov", P("10.50.0.0/16"), 24);
  Registry impostor(options_for(server), registry_options(), node("a", 9));
  try {
    impostor.join();
    FAIL() << "a second machine joined as a";
  } catch (const ClusterError& e) {
    EXPECT_EQ(e.kind(), ClusterError::Kind::duplicate_node);
    EXPECT_NE(std::string(e.what()).find("registered from 192.0.2.1"), std::string::npos) << e.what();
  }
  ClusterView v = first.read();
  EXPECT_EQ(v.nodes.at("a").address, "192.0.2.1");
  EXPECT_EQ(v.subnet_of("ov", "a")->subnet, s.subnet);
  // The same machine again (an apply beside its controller) is welcome.
  Registry again(options_for(server), registry_options(), node("a", 1));
  EXPECT_TRUE(again.join().reused_membership);
}

// Static addresses are claimed as written: two nodes whose manifests give
// one address to two members never both get it, and a dynamic claim never
// lands on one.
TEST(ClusterRegistry, StaticAddressesAreClaimedAndNeverShared) {
  EtcdServer server;
  Registry a(options_for(server), registry_options(), node("a", 1));
  Registry b(options_for(server), registry_options(), node("b", 2));
  a.join();
  b.join();
  const IpPrefix pool = P("10.60.0.0/24");
  AddressClaim dynamic = a.claim_address("l2", pool, A("10.60.0.1"), "c1", "");
  EXPECT_EQ(dynamic.address, A("10.60.0.2"));
  AddressClaim fixed = a.claim_static("l2", A("10.60.0.9"), "c1", "");  // c1 made static: its old claim goes
  EXPECT_EQ(fixed.address, A("10.60.0.9"));
  EXPECT_EQ(a.read().claims_of("l2", "c1").size(), 1u);
  EXPECT_EQ(a.claim_static("l2", A("10.60.0.9"), "c1", "").address, A("10.60.0.9")) << "sticky";
  try {
    b.claim_static("l2", A("10.60.0.9"), "c3", "");
    FAIL() << "two members hold 10.60.0.9";
  } catch (const ClusterError& e) {
    EXPECT_EQ(e.kind(), ClusterError::Kind::address_taken);
    EXPECT_NE(std::string(e.what()).find("held by container c1 on node a"), std::string::npos) << e.what();
  }
  // A dynamic claim passes over what the manifests reserve.
  EXPECT_EQ(b.claim_address("l2", pool, A("10.60.0.1"), "c4", "", {A("10.60.0.2")}).address, A("10.60.0.3"));
}

// --node-ttl changed between two runs: the node key moves to a lease of the
// new TTL instead of keeping the old one.
TEST(ClusterRegistry, ANewNodeTtlTakesANewMembershipLease) {
  EtcdServer server;
  etcd::Client etcd(options_for(server));
  Registry first(options_for(server), registry_options(30s), node("a", 1));
  first.join();
  Registry same(options_for(server), registry_options(30s), node("a", 1));
  EXPECT_TRUE(same.join().reused_membership);
  Registry shorter(options_for(server), registry_options(3s), node("a", 1));
  cluster::JoinResult j = shorter.join();
  EXPECT_FALSE(j.reused_membership);
  EXPECT_EQ(etcd.lease_time_to_live(j.membership).granted_ttl, 3);
  EXPECT_EQ(shorter.read().nodes.at("a").lease, j.membership);
}

TEST(ClusterRegistry, TheNodeKeyExpiresWithoutKeepaliveTheSubnetStays) {
  EtcdServer server;
  Registry reg(options_for(server), registry_options(2s), node("a", 1));
  reg.join();
  SubnetLease s = reg.lease_subnet("ov", P("10.50.0.0/16"), 24);
  ASSERT_TRUE(reg.read().has_node("a"));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return !reg.read().has_node("a"); }, 15s)) << "the node key outlived its lease";
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 1s) << "gone before its TTL";
  ClusterView v = reg.read();
  ASSERT_NE(v.subnet_of("ov", "a"), nullptr) << "the subnet is on the long lease";
  EXPECT_EQ(v.subnet_of("ov", "a")->subnet, s.subnet);

  cluster::KeepaliveResult k = reg.keepalive();
  EXPECT_TRUE(k.rejoined_membership);
  EXPECT_FALSE(k.rejoined_reservation);
  EXPECT_GT(k.membership_ttl, 0);
  EXPECT_TRUE(reg.read().has_node("a"));
}

TEST(ClusterRegistry, KeepaliveKeepsTheNodeKeyAlive) {
  EtcdServer server;
  Registry reg(options_for(server), registry_options(2s), node("a", 1));
  reg.join();
  auto until = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < until) {
    cluster::KeepaliveResult k = reg.keepalive();
    EXPECT_FALSE(k.rejoined_membership);
    EXPECT_GT(k.membership_ttl, 0);
    std::this_thread::sleep_for(500ms);
  }
  EXPECT_TRUE(reg.read().has_node("a"));
}

TEST(ClusterRegistry, KeepaliveAfterTheLeasesWereRevokedRejoins) {
  EtcdServer server;
  etcd::Client etcd(options_for(server));
  Registry reg(options_for(server), registry_options(), node("a", 1));
  reg.join();
  SubnetLease s = reg.lease_subnet("ov", P("10.50.0.0/16"), 24);
  AddressClaim c = reg.claim_address("ov", s.subnet, std::nullopt, "c1", "02:42:00:00:00:01");
  etcd.lease_revoke(reg.membership_lease());
  etcd.lease_revoke(reg.reservation_lease());
  ASSERT_TRUE(keys_naming(reg.read(), "a").empty());

  cluster::KeepaliveResult k = reg.keepalive();
  EXPECT_TRUE(k.rejoined_membership);
  EXPECT_TRUE(k.rejoined_reservation);
  EXPECT_TRUE(k.lost_subnets.empty());
  EXPECT_TRUE(k.lost_addresses.empty());
  ClusterView v = reg.read();
  EXPECT_TRUE(v.has_node("a"));
  ASSERT_NE(v.subnet_of("ov", "a"), nullptr);
  EXPECT_EQ(v.subnet_of("ov", "a")->subnet, s.subnet);
  EXPECT_EQ(v.subnet_of("ov", "a")->lease, reg.reservation_lease());
  ASSERT_EQ(v.claims_of("ov", "c1").size(), 1u);
  EXPECT_EQ(v.claims_of("ov", "c1")[0]->address, c.address);
  EXPECT_EQ(v.nodes.at("a").lease, reg.membership_lease());
}

TEST(ClusterRegistry, KeepaliveReportsASubnetAnotherNodeTookMeanwhile) {
  EtcdServer server;
  etcd::Client etcd(options_for(server));
  Registry a(options_for(server), registry_options(), node("a", 1));
  a.join();
  SubnetLease s = a.lease_subnet("ov", P("10.50.0.0/30"), 31);
  etcd.lease_revoke(a.reservation_lease());  // a's subnet is free now...
  Registry b(options_for(server), registry_options(), node("b", 2));
  b.join();
  EXPECT_EQ(b.lease_subnet("ov", P("10.50.0.0/30"), 31).subnet, s.subnet);  // ...and b takes it
  cluster::KeepaliveResult k = a.keepalive();
  EXPECT_TRUE(k.rejoined_reservation);
  ASSERT_EQ(k.lost_subnets.size(), 1u);
  EXPECT_EQ(k.lost_subnets[0].subnet, s.subnet);
  EXPECT_EQ(a.read().subnet_of("ov", "b")->subnet, s.subnet) << "b keeps it";
  EXPECT_NE(a.lease_subnet("ov", P("10.50.0.0/30"), 31).subnet, s.subnet) << "a takes another";
}

TEST(ClusterRegistry, ReleaseNodeRemovesOnlyItsOwnKeys) {
  EtcdServer server;
  Registry a(options_for(server), registry_options(), node("a", 1));
  Registry b(options_for(server), registry_options(), node("b", 2));
  a.join();
  b.join();
  for (Registry* r : {&a, &b}) {
    SubnetLease s = r->lease_subnet("ov", P("10.50.0.0/16"), 24);
    r->lease_subnet("ov6", P("fd00:50::/48"), 64);
    r->claim_address("ov", s.subnet, std::nullopt, "c-" + r->me().name, "02:42:00:00:00:01");
    r->claim_address("l2", P("10.60.0.0/24"), A("10.60.0.1"), "d-" + r->me().name, "02:42:00:00:00:02");
  }
  const std::vector<std::string> b_before = keys_naming(b.read(), "b");
  ASSERT_EQ(b_before.size(), 5u);
  ASSERT_EQ(keys_naming(a.read(), "a").size(), 5u);

  cluster::ReleaseResult r = a.release_node();
  EXPECT_EQ(r.deleted, 5);
  ClusterView v = b.read();
  EXPECT_TRUE(keys_naming(v, "a").empty());
  EXPECT_EQ(keys_naming(v, "b"), b_before);
  EXPECT_EQ(a.membership_lease(), 0);
  EXPECT_THROW(a.keepalive(), ClusterError) << "released: join() again first";
  EXPECT_EQ(a.release_node().deleted, 0) << "twice is fine";
  // And it can come back.
  a.join();
  EXPECT_TRUE(a.read().has_node("a"));
}

TEST(ClusterRegistry, ClaimRacesGiveDistinctAddressesAndClaimsAreSticky) {
  EtcdServer server;
  const IpPrefix pool = P("10.60.0.0/24");
  const std::optional<IpAddress> gateway = A("10.60.0.1");
  constexpr int per_node = 8;
  std::vector<std::vector<AddressClaim>> got(2);
  std::vector<std::string> errors(2);
  std::latch start(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      try {
        Registry reg(options_for(server), registry_options(), node(i == 0 ? "a" : "b", i + 1));
        reg.join();
        start.arrive_and_wait();
        for (int c = 0; c < per_node; ++c)
          got[i].push_back(reg.claim_address("l2", pool, gateway, "c" + std::to_string(c), "02:42:00:00:00:0" + std::to_string(c)));
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(i)] = e.what();
        start.count_down();
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(errors[0], "");
  ASSERT_EQ(errors[1], "");
  std::set<IpAddress> all;
  for (const auto& claims : got)
    for (const AddressClaim& c : claims) {
      EXPECT_TRUE(pool.contains(c.address));
      EXPECT_NE(c.address, *gateway);
      EXPECT_NE(c.address, A("10.60.0.0"));
      all.insert(c.address);
    }
  EXPECT_EQ(all.size(), 2u * per_node) << "two claims got the same address";
  EXPECT_EQ(*all.begin(), A("10.60.0.2"));
  EXPECT_EQ(*all.rbegin(), A("10.60.0.17")) << "the losers moved on to the next, leaving no hole";

  // Sticky: the same container on the same node keeps its address; a new
  // MAC is written into the claim.
  Registry a(options_for(server), registry_options(), node("a", 1));
  a.join();
  AddressClaim again = a.claim_address("l2", pool, gateway, "c3", "02:42:00:00:00:ff");
  EXPECT_EQ(again.address, got[0][3].address);
  EXPECT_EQ(again.mac, "02:42:00:00:00:ff");
  EXPECT_EQ(a.read().claims_of("l2", "c3").size(), 2u) << "a's c3 and b's c3";
  // Another family on the same network is a second claim, not a move.
  AddressClaim v6 = a.claim_address("l2", P("fd00:60::/64"), A("fd00:60::1"), "c3", "02:42:00:00:00:ff");
  EXPECT_EQ(v6.address, A("fd00:60::2"));
  EXPECT_EQ(a.claim_address("l2", pool, gateway, "c3", "02:42:00:00:00:ff").address, again.address);
  EXPECT_EQ(a.release_address("l2", "c3"), 2);
  EXPECT_EQ(a.read().claims_of("l2", "c3").size(), 1u) << "b's c3 stays";
}

TEST(ClusterRegistry, ExhaustionIsAClearError) {
  EtcdServer server;
  const IpPrefix range = P("10.70.0.0/30");
  std::vector<std::unique_ptr<Registry>> regs;
  for (int i = 0; i < 3; ++i) {
    regs.push_back(std::make_unique<Registry>(options_for(server), registry_options(),
                                              node(std::string(1, static_cast<char>('a' + i)), i + 1)));
    regs.back()->join();
  }
  EXPECT_EQ(regs[0]->lease_subnet("ov", range, 31).subnet, P("10.70.0.0/31"));
  EXPECT_EQ(regs[1]->lease_subnet("ov", range, 31).subnet, P("10.70.0.2/31"));
  try {
    regs[2]->lease_subnet("ov", range, 31);
    FAIL() << "a third /31 out of a /30";
  } catch (const ClusterError& e) {
    EXPECT_EQ(e.kind(), ClusterError::Kind::exhausted);
    EXPECT_EQ(std::string(e.what()), "etcd registry: network ov: no free /31 left in 10.70.0.0/30 (2 leased)");
  }
  // Once a node releases, the subnet is free for the next.
  regs[0]->release_node();
  EXPECT_EQ(regs[2]->lease_subnet("ov", range, 31).subnet, P("10.70.0.0/31"));

  // Addresses: a /30 with its gateway has one address left.
  EXPECT_EQ(regs[1]->claim_address("l2", range, A("10.70.0.1"), "x", "").address, A("10.70.0.2"));
  try {
    regs[2]->claim_address("l2", range, A("10.70.0.1"), "y", "");
    FAIL() << "a second address out of a /30 with a gateway";
  } catch (const ClusterError& e) {
    EXPECT_EQ(e.kind(), ClusterError::Kind::exhausted);
    EXPECT_EQ(std::string(e.what()), "etcd registry: network l2: no free address left in 10.70.0.0/30 for y");
  }
}

TEST(ClusterRegistry, UnsafeNamesAreRefusedBeforeAnyRequest) {
  EtcdServer server;
  EXPECT_THROW(Registry(options_for(server), registry_options(), {.name = "a/b", .address = "192.0.2.1"}), ClusterError);
  EXPECT_THROW(Registry(options_for(server), registry_options(), {.name = "a", .address = "not-an-ip"}), ClusterError);
  EXPECT_THROW(Registry(options_for(server), {.prefix = "topo"}, {.name = "a", .address = "192.0.2.1"}), ClusterError);
  Registry reg(options_for(server), registry_options(), node("a", 1));
  EXPECT_THROW(reg.lease_subnet("ov", P("10.0.0.0/16"), 24), ClusterError) << "before join()";
  reg.join();
  for (const char* bad : {"../nodes", "a/b", "", "-x"})
    EXPECT_THROW(reg.lease_subnet(bad, P("10.0.0.0/16"), 24), ClusterError) << bad;
  EXPECT_THROW(reg.claim_address("ov", P("10.0.0.0/24"), std::nullopt, "c/../x", ""), ClusterError);
  EXPECT_THROW(reg.lease_subnet("ov", P("10.0.0.0/16"), 8), ClusterError);
  EXPECT_EQ(reg.read().subnets.size(), 0u);
}

// The way the data plane follows the others: read() once, then a watch of
// the whole prefix from view.revision + 1, each event applied to the view.
TEST(ClusterRegistry, AWatchFromTheReadRevisionKeepsTheViewCurrent) {
  EtcdServer server;
  Registry a(options_for(server), registry_options(), node("a", 1));
  a.join();
  a.lease_subnet("ov", P("10.50.0.0/16"), 24);
  ClusterView view = a.read();
  const etcd::Revision start = view.revision;
  std::mutex mutex;
  etcd::Watch watch(options_for(server), {.key = a.layout().all(), .start_revision = view.revision + 1});
  std::thread follower([&] {
    watch.run([&](const etcd::WatchBatch& batch) {
      std::lock_guard lock(mutex);
      for (const etcd::WatchEvent& e : batch.events) {
        if (e.type == etcd::WatchEvent::Type::put) view.apply_put(a.layout(), e.kv);
        else view.apply_erase(a.layout(), e.kv.key);
      }
    });
  });
  auto seen = [&](auto cond) {
    return eventually([&] {
      std::lock_guard lock(mutex);
      return cond();
    }, 10s);
  };
  Registry b(options_for(server), registry_options(), node("b", 2));
  b.join();
  SubnetLease bs = b.lease_subnet("ov", P("10.50.0.0/16"), 24);
  AddressClaim bc = b.claim_address("ov", bs.subnet, std::nullopt, "c1", "02:42:00:00:00:01");
  EXPECT_TRUE(seen([&] {
    return view.has_node("b") && view.subnet_of("ov", "b") && view.subnet_of("ov", "b")->subnet == bs.subnet &&
           view.claims_of("ov", "c1").size() == 1 && view.claims_of("ov", "c1")[0]->address == bc.address;
  })) << "b's node key, subnet and claim arrive by the watch";
  b.release_node();
  EXPECT_TRUE(seen([&] { return keys_naming(view, "b").empty(); })) << "and go by it";
  watch.stop();
  follower.join();
  std::lock_guard lock(mutex);
  EXPECT_TRUE(view.has_node("a"));
  EXPECT_NE(view.subnet_of("ov", "a"), nullptr);
  EXPECT_TRUE(view.skipped.empty());
  EXPECT_GT(view.revision, start) << "the view's revision follows the events";
}

TEST(ClusterRegistry, EtcdStoppedIsReportedUnreachableAndAllIsAsBeforeAfterItsRestart) {
  EtcdServer server;
  Registry reg(options_for(server), registry_options(), node("a", 1));
  reg.join();
  SubnetLease s = reg.lease_subnet("ov", P("10.50.0.0/16"), 24);
  AddressClaim c = reg.claim_address("ov", s.subnet, s.subnet.network().plus(1), "c1", "02:42:00:00:00:01");
  const etcd::LeaseId membership = reg.membership_lease(), reservation = reg.reservation_lease();

  server.stop();
  auto expect_unreachable = [](auto call, const char* what) {
    try {
      call();
      ADD_FAILURE() << what << " succeeded with etcd stopped";
    } catch (const etcd::EtcdError& e) {
      EXPECT_TRUE(e.unreachable()) << what << ": " << e.what();
    }
  };
  expect_unreachable([&] { reg.keepalive(); }, "keepalive");
  Registry restarted(options_for(server), registry_options(), node("a", 1));
  expect_unreachable([&] { restarted.join(); }, "join");
  expect_unreachable([&] { reg.lease_subnet("ov", P("10.50.0.0/16"), 24); }, "lease_subnet");
  expect_unreachable([&] { reg.read(); }, "read");

  server.start();
  cluster::KeepaliveResult k = reg.keepalive();
  EXPECT_FALSE(k.rejoined_membership) << "etcd keeps leases across its restart";
  EXPECT_FALSE(k.rejoined_reservation);
  EXPECT_EQ(reg.membership_lease(), membership);
  EXPECT_EQ(reg.reservation_lease(), reservation);
  EXPECT_EQ(reg.lease_subnet("ov", P("10.50.0.0/16"), 24).subnet, s.subnet);
  EXPECT_EQ(reg.claim_address("ov", s.subnet, s.subnet.network().plus(1), "c1", "02:42:00:00:00:01").address, c.address);
  cluster::JoinResult j = restarted.join();
  EXPECT_TRUE(j.reused_reservation);
  EXPECT_EQ(restarted.lease_subnet("ov", P("10.50.0.0/16"), 24).subnet, s.subnet);
  ClusterView v = reg.read();
  EXPECT_TRUE(v.has_node("a"));
  EXPECT_EQ(v.subnets.size(), 1u);
  EXPECT_EQ(v.addresses.size(), 1u);
}

}  // namespace
}  // namespace topo::test
