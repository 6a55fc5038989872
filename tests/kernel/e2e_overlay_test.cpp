// Overlay networks across simulated hosts (tests/kernel/multihost_support.hpp):
// every host runs `topo apply --node X` on the same manifests; containers on
// different hosts reach each other over VXLAN with static forwarding.
#include <algorithm>
#include <sstream>

#include "providers/overlay/overlay_provider.hpp"
#include "tests/kernel/multihost_support.hpp"

namespace topo::e2e {
namespace {

const std::string kVx = vxlan_name("ov");

struct Member {
  std::string name, node, ip, mac;
};
// MACs derive from the addresses: 02:42 + the four bytes.
const std::vector<Member> kMembers = {
    {"a1", "a", "10.50.0.11", "02:42:0a:32:00:0b"},
    {"a2", "a", "10.50.0.12", "02:42:0a:32:00:0c"},
    {"b1", "b", "10.50.0.21", "02:42:0a:32:00:15"},
    {"c1", "c", "10.50.0.31", "02:42:0a:32:00:1f"},
};
const Member kB2{"b2", "b", "10.50.0.22", "02:42:0a:32:00:16"};

std::string manifest(const Cluster& cluster, const std::vector<Member>& members, const std::string& extra = "") {
  std::string y = "version: 1\n" + cluster.hosts_yaml() +
                  "networks:\n"
                  "  - {name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}\n" + extra +
                  "containers:\n";
  for (const auto& m : members) y += "  - {name: " + m.name + ", node: " + m.node + "}\n";
  y += "attachments:\n";
  for (const auto& m : members) y += "  - {container: " + m.name + ", network: ov, interface: eth0, ipv4: " + m.ip + "}\n";
  return y;
}

// `bridge fdb show dev VX` lines on a host, as "mac dst" pairs.
std::vector<std::string> fdb_on(const SimHost& h) {
  CmdResult r = h.sh("bridge fdb show dev " + kVx + " | awk '$0 ~ / dst / {for (i=1;i<=NF;i++) if ($i==\"dst\") print $1\" \"$(i+1)}'");
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  std::vector<std::string> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string dump(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& l : v) s += "  " + l + "\n";
  return s;
}

class E2EOverlay : public MultiHostTest {};

}  // namespace

// Done-when 1: three hosts, one overlay, containers on each: all pairs ping.
TEST_F(E2EOverlay, EveryContainerPingsEveryOtherAcrossHosts) {
  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  for (const auto& from : kMembers)
    for (const auto& to : kMembers) {
      if (from.name == to.name) continue;
      EXPECT_TRUE(cluster_->host(from.node).ping(from.name, to.ip))
          << from.name << " (host " << from.node << ") cannot reach " << to.name << " (" << to.ip << ", host "
          << to.node << ")\nfdb on " << from.node << ":\n" << dump(fdb_on(cluster_->host(from.node)));
    }
  // What each host programmed: flooding to the other two, each remote MAC to its host.
  const auto on_a = fdb_on(cluster_->host("a"));
  EXPECT_EQ(on_a, (std::vector<std::string>{"00:00:00:00:00:00 10.99.0.2", "00:00:00:00:00:00 10.99.0.3",
                                            "02:42:0a:32:00:15 10.99.0.2", "02:42:0a:32:00:1f 10.99.0.3"}))
      << dump(on_a);
  // The VXLAN device as asked: id, port, local address, no learning, on the bridge, mtu 1450.
  CmdResult d = cluster_->host("b").sh("ip -d link show dev " + kVx);
  EXPECT_NE(d.out.find("vxlan id 4242"), std::string::npos) << d.describe();
  EXPECT_NE(d.out.find("local 10.99.0.2"), std::string::npos) << d.describe();
  EXPECT_NE(d.out.find("dstport 4789"), std::string::npos) << d.describe();
  EXPECT_NE(d.out.find("nolearning"), std::string::npos) << d.describe();
  EXPECT_NE(d.out.find("master br-ov"), std::string::npos) << d.describe();
  EXPECT_NE(d.out.find("mtu 1450"), std::string::npos) << d.describe();
  CmdResult eth = cluster_->host("c").sh("ip netns exec c1 ip link show dev eth0");
  EXPECT_NE(eth.out.find("mtu 1450"), std::string::npos) << eth.describe();
  // And a second apply anywhere has nothing to do.
  for (SimHost* h : cluster_->hosts()) {
    CmdResult again = plan_on(h->name(), {"--detailed-exitcode"});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
  }
}

// Done-when 1, names: hosts files list the members on other hosts too.
TEST_F(E2EOverlay, ContainersResolveMembersOnOtherHosts) {
  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  ASSERT_EQ(cluster_->host("a").sh("test -f /etc/netns/a1/hosts").exit_code, 0) << "no hosts file for a1";
  for (const auto& from : kMembers)
    for (const auto& to : kMembers) {
      if (from.name == to.name) continue;
      // From the hosts file only: plain `getent hosts` asks for an IPv6
      // address first, which the file lacks, and then waits on a nameserver
      // the sandbox cannot reach (two minutes for this loop).
      CmdResult r =
          cluster_->host(from.node).sh("ip netns exec " + from.name + " getent -s files hosts " + to.name);
      EXPECT_EQ(r.exit_code, 0) << r.describe();
      EXPECT_NE(r.out.find(to.ip), std::string::npos) << r.describe();
    }
  CmdResult ping = cluster_->host("a").sh("ip netns exec a1 ping -c1 -W2 c1");
  EXPECT_EQ(ping.exit_code, 0) << ping.describe();
}

// Done-when 2: a container added on b is reachable from a and c once each
// applied; once removed, its entries are gone on a and c.
TEST_F(E2EOverlay, ContainerAddedAndRemovedOnOneHostUpdatesTheOthers) {
  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  auto with_b2 = kMembers;
  with_b2.push_back(kB2);
  dir_.write("topology.yaml", manifest(*cluster_, with_b2));
  apply_everywhere();
  const std::string entry = kB2.mac + " 10.99.0.2";
  for (const char* h : {"a", "c"}) EXPECT_TRUE(has(fdb_on(cluster_->host(h)), entry)) << "on " << h;
  EXPECT_TRUE(cluster_->host("a").ping("a1", kB2.ip));
  EXPECT_TRUE(cluster_->host("c").ping("c1", kB2.ip));
  EXPECT_TRUE(cluster_->host("b").ping("b2", "10.50.0.31"));

  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  for (const char* h : {"a", "c"}) {
    auto fdb = fdb_on(cluster_->host(h));
    EXPECT_FALSE(has(fdb, entry)) << "on " << h << ":\n" << dump(fdb);
    // b still has b1: flooding towards b stays.
    EXPECT_TRUE(has(fdb, "00:00:00:00:00:00 10.99.0.2")) << "on " << h << ":\n" << dump(fdb);
  }
  CmdResult gone = cluster_->host("b").sh("ip netns list");
  EXPECT_EQ(gone.out.find("b2"), std::string::npos) << gone.describe();
}

// Done-when 3: a hand-deleted FDB entry shows in plan and apply restores it.
TEST_F(E2EOverlay, HandDeletedForwardingEntryIsPlannedAndRestored) {
  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  SimHost& a = cluster_->host("a");
  ASSERT_EQ(a.sh("bridge fdb del 02:42:0a:32:00:1f dev " + kVx + " dst 10.99.0.3").exit_code, 0);
  ASSERT_EQ(a.sh("bridge fdb del 00:00:00:00:00:00 dev " + kVx + " dst 10.99.0.2").exit_code, 0);
  EXPECT_FALSE(has(fdb_on(a), "02:42:0a:32:00:1f 10.99.0.3"));

  CmdResult plan = plan_on("a", {"--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << plan.describe();
  EXPECT_NE(plan.out.find("+ fdb " + kVx + "/02:42:0a:32:00:1f/10.99.0.3"), std::string::npos) << plan.describe();
  EXPECT_NE(plan.out.find("+ fdb " + kVx + "/00:00:00:00:00:00/10.99.0.2"), std::string::npos) << plan.describe();
  EXPECT_NE(plan.out.find("Plan: 2 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.describe();

  CmdResult apply = apply_on("a");
  ASSERT_EQ(apply.exit_code, 0) << apply.describe();
  auto fdb = fdb_on(a);
  EXPECT_TRUE(has(fdb, "02:42:0a:32:00:1f 10.99.0.3")) << dump(fdb);
  EXPECT_TRUE(has(fdb, "00:00:00:00:00:00 10.99.0.2")) << dump(fdb);
  EXPECT_TRUE(a.ping("a1", "10.50.0.31"));
  EXPECT_EQ(plan_on("a", {"--detailed-exitcode"}).exit_code, 0);
}

// A stray entry on topo's device (not from the manifests) is removed.
TEST_F(E2EOverlay, ExtraForwardingEntryOnTopoDeviceIsRemoved) {
  dir_.write("topology.yaml", manifest(*cluster_, kMembers));
  apply_everywhere();
  SimHost& c = cluster_->host("c");
  ASSERT_EQ(c.sh("bridge fdb append 02:42:0a:32:00:63 dev " + kVx + " dst 10.99.0.9 permanent").exit_code, 0);
  CmdResult plan = plan_on("c");
  EXPECT_NE(plan.out.find("- fdb " + kVx + "/02:42:0a:32:00:63/10.99.0.9"), std::string::npos) << plan.describe();
  ASSERT_EQ(apply_on("c").exit_code, 0);
  EXPECT_FALSE(has(fdb_on(c), "02:42:0a:32:00:63 10.99.0.9"));
}

// Done-when 4: plan on a host lists only that host's slice.
TEST_F(E2EOverlay, PlanOnAHostListsOnlyItsSlice) {
  // Plus a bridge network only b's container uses.
  auto members = kMembers;
  dir_.write("topology.yaml",
             manifest(*cluster_, members, "  - {name: lan-b, subnet: 172.30.0.0/24}\n") +
                 "  - {container: b1, network: lan-b, interface: eth1}\n");
  CmdResult on_a = plan_on("a");
  ASSERT_EQ(on_a.exit_code, 0) << on_a.describe();
  for (const char* want : {"+ namespace a1", "+ namespace a2", "+ link br-ov", "+ link a1:eth0"})
    EXPECT_NE(on_a.out.find(want), std::string::npos) << want << "\n" << on_a.describe();
  for (const char* other : {"namespace b1", "namespace c1", "b1:eth", "c1:eth", "br-lan-b"})
    EXPECT_EQ(on_a.out.find(other), std::string::npos) << other << "\n" << on_a.describe();

  CmdResult on_b = plan_on("b");
  ASSERT_EQ(on_b.exit_code, 0) << on_b.describe();
  for (const char* want : {"+ namespace b1", "+ link br-lan-b", "+ link b1:eth1", "+ link br-ov"})
    EXPECT_NE(on_b.out.find(want), std::string::npos) << want << "\n" << on_b.describe();
  for (const char* other : {"namespace a1", "namespace a2", "namespace c1"})
    EXPECT_EQ(on_b.out.find(other), std::string::npos) << other << "\n" << on_b.describe();

  // With hosts declared, leaving --node out is an error that says what to do.
  CmdResult bare = cluster_->host("a").topo({"plan", dir_.path()});
  EXPECT_EQ(bare.exit_code, 1) << bare.describe();
  EXPECT_NE(bare.err.find("pass --node NAME"), std::string::npos) << bare.describe();
  CmdResult unknown = cluster_->host("a").topo({"apply", dir_.path(), "--node", "zz"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.describe();
  EXPECT_NE(unknown.err.find("not one of the declared hosts"), std::string::npos) << unknown.describe();
  // Nothing was changed by either.
  EXPECT_EQ(cluster_->host("a").sh("ip netns list").out, "");
}

}  // namespace topo::e2e
