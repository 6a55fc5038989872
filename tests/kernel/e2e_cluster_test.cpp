// Cluster mode end to end (issue 17): three simulated hosts and one real etcd
// (cluster_mode_support.hpp); no `hosts:` and no static addresses in the
// manifests: the nodes find each other, take shares and addresses through
// etcd, and every container reaches every other by address and by name.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tests/kernel/cluster_mode_support.hpp"

namespace topo::e2e {
namespace {

struct Member {
  std::string name, node;
};
const std::vector<Member> kMembers = {{"a1", "a"}, {"b1", "b"}, {"c1", "c"}};

std::string manifest(const std::string& network_line) {
  std::string m = "networks:\n  - " + network_line + "\ncontainers:\n";
  for (const auto& c : kMembers) m += "  - {name: " + c.name + ", node: " + c.node + "}\n";
  m += "attachments:\n";
  for (const auto& c : kMembers) m += "  - {container: " + c.name + ", network: ov}\n";
  return m;
}

class E2ECluster : public ClusterModeTest {
 protected:
  // Every node applies, then each once more: the first ones learn of the
  // later ones' shares and addresses (apply programs what etcd says then).
  void apply_twice_everywhere() {
    for (int round = 0; round < 2; ++round)
      for (const auto& h : {"a", "b", "c"}) {
        CmdResult r = apply_on(h, {"--auto-approve"});
        ASSERT_EQ(r.exit_code, 0) << "round " << round << " on " << h << ": " << r.describe();
      }
  }

  // The IPv4 address of a container's eth0, "" when none.
  std::string address_of(const Member& m) {
    CmdResult r = host(m.node).sh("ip netns exec " + m.name + " ip -4 -o addr show dev eth0");
    std::smatch match;
    static const std::regex inet(R"(inet (\d+\.\d+\.\d+\.\d+)/)");
    return std::regex_search(r.out, match, inet) ? match[1].str() : "";
  }

  void expect_all_reach_all(const std::map<std::string, std::string>& addresses) {
    for (const auto& from : kMembers)
      for (const auto& to : kMembers) {
        if (from.name == to.name) continue;
        EXPECT_TRUE(host(from.node).ping(from.name, addresses.at(to.name)))
            << from.name << " on " << from.node << " cannot reach " << to.name << " at " << addresses.at(to.name)
            << "\nroutes on " << from.node << ":\n" << host(from.node).sh("ip route; ip neigh; bridge fdb show | grep dst; sysctl net.ipv4.ip_forward; ip -d -s link show type vxlan; nft list ruleset").out;
        // By name, from the container's own hosts file.
        CmdResult r = host(from.node).sh("ip netns exec " + from.name + " getent -s files hosts " + to.name);
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        EXPECT_NE(r.out.find(addresses.at(to.name)), std::string::npos) << r.describe();
      }
  }

  std::map<std::string, std::string> addresses() {
    std::map<std::string, std::string> out;
    for (const auto& m : kMembers) out[m.name] = address_of(m);
    return out;
  }

  void expect_nothing_to_do() {
    for (const auto& h : {"a", "b", "c"}) {
      CmdResult again = plan_on(h, {"--detailed-exitcode"});
      EXPECT_EQ(again.exit_code, 0) << h << ": " << again.describe();
    }
  }
};

}  // namespace

// An L2 overlay without static addresses: etcd hands out addresses unique
// across the nodes, and forwarding entries follow the claims.
TEST_F(E2ECluster, L2OverlayAddressesAreUniqueAcrossNodes) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}"));
  apply_twice_everywhere();
  const auto addr = addresses();
  std::set<std::string> distinct;
  for (const auto& [name, a] : addr) {
    EXPECT_NE(a, "") << name << " has no address";
    distinct.insert(a);
  }
  EXPECT_EQ(distinct.size(), kMembers.size()) << "addresses clash";
  const std::string keys = etcd_get_prefix("/topo/addresses/ov/");
  for (const auto& [name, a] : addr) EXPECT_NE(keys.find("/topo/addresses/ov/" + a), std::string::npos) << keys;
  expect_all_reach_all(addr);
  expect_nothing_to_do();
}

// flannel's layout: each node leases a /24 of the /16, its containers take
// addresses from it behind the node's bridge, and the nodes route the
// others' shares over VXLAN.
TEST_F(E2ECluster, SubnetPerNodeVxlanEveryContainerReachesEveryOther) {
  dir_.write("topology.yaml",
             manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/16, subnet_per_node: 24}"));
  apply_twice_everywhere();
  const auto addr = addresses();
  std::set<std::string> shares;
  for (const auto& m : kMembers) {
    const std::string& a = addr.at(m.name);
    ASSERT_NE(a, "") << m.name << " has no address";
    shares.insert(a.substr(0, a.rfind('.')));
  }
  EXPECT_EQ(shares.size(), 3u) << "two nodes share a /24";
  const std::string keys = etcd_get_prefix("/topo/subnets/ov/");
  for (const auto& s : shares) EXPECT_NE(keys.find("/topo/subnets/ov/" + s + ".0-24"), std::string::npos) << keys;
  expect_all_reach_all(addr);
  expect_nothing_to_do();
}

// The same with backend host-gw: no encapsulation, a plain route per other
// node's share via that node's underlay address (the nodes share a segment).
TEST_F(E2ECluster, SubnetPerNodeHostGwEveryContainerReachesEveryOther) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/16, "
                                       "subnet_per_node: 24, backend: host-gw}"));
  apply_twice_everywhere();
  const auto addr = addresses();
  for (const auto& m : kMembers) ASSERT_NE(addr.at(m.name), "") << m.name << " has no address";
  // On a: the other two shares via b's and c's underlay addresses, no VXLAN device.
  CmdResult routes = host("a").sh("ip route show proto 117");
  const std::string b_share = addr.at("b1").substr(0, addr.at("b1").rfind('.')) + ".0/24";
  EXPECT_NE(routes.out.find(b_share + " via 10.99.0.2"), std::string::npos) << routes.describe();
  EXPECT_EQ(host("a").sh("ip -d link show type vxlan").out, "");
  expect_all_reach_all(addr);
  expect_nothing_to_do();
  // A route deleted by hand is drift, put back by the next apply.
  ASSERT_EQ(host("a").sh("ip route del " + b_share).exit_code, 0);
  CmdResult drift = plan_on("a", {"--detailed-exitcode"});
  EXPECT_EQ(drift.exit_code, 2) << drift.describe();
  ASSERT_EQ(apply_on("a", {"--auto-approve"}).exit_code, 0);
  EXPECT_TRUE(host("a").ping("a1", addr.at("b1")));
}

// An internal routed overlay: no way out and no default route, yet the
// shares are one network: each member routes the whole subnet via its node.
TEST_F(E2ECluster, InternalSubnetPerNodeOverlayStillSpansTheNodes) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/16, "
                                       "subnet_per_node: 24, internal: true}"));
  apply_twice_everywhere();
  const auto addr = addresses();
  for (const auto& m : kMembers) ASSERT_NE(addr.at(m.name), "") << m.name << " has no address";
  CmdResult routes = host("a").sh("ip netns exec a1 ip route");
  EXPECT_EQ(routes.out.find("default"), std::string::npos) << routes.describe();
  EXPECT_NE(routes.out.find("10.50.0.0/16 via"), std::string::npos) << routes.describe();
  expect_all_reach_all(addr);
  expect_nothing_to_do();
}

// Manifests that disagree between nodes: a static address another node's
// member holds is refused by etcd, with nothing changed on that node.
TEST_F(E2ECluster, AStaticAddressAnotherNodeHoldsIsRefused) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}"));
  apply_twice_everywhere();
  const std::string a1 = addresses().at("a1");
  ASSERT_NE(a1, "");
  std::string m = manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}");
  const std::string line = "  - {container: b1, network: ov}\n";
  m.replace(m.find(line), line.size(), "  - {container: b1, network: ov, ipv4: " + a1 + "}\n");
  dir_.write("topology.yaml", m);
  const std::string before = host("b").sh("ip -n b1 -4 -o addr 2>/dev/null; ip netns exec b1 ip -4 -o addr").out;
  CmdResult r = apply_on("b", {"--auto-approve"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("the static address " + a1 + " of container b1 is held by container a1 on node a"),
            std::string::npos)
      << r.describe();
  EXPECT_NE(r.err.find("nothing was changed."), std::string::npos) << r.describe();
  EXPECT_EQ(host("b").sh("ip -n b1 -4 -o addr 2>/dev/null; ip netns exec b1 ip -4 -o addr").out, before);
  EXPECT_TRUE(host("a").ping("a1", addresses().at("c1")));
}

// A routed overlay gone from the manifests: each node gives its share back,
// and the routes to it go on the others.
TEST_F(E2ECluster, ANetworkRemovedGivesItsSharesBack) {
  const std::string two = "networks:\n  - {name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/16, subnet_per_node: 24}\n"
                          "  - {name: keep, driver: overlay, vni: 4243, subnet: 10.60.0.0/16, subnet_per_node: 24}\n"
                          "containers:\n  - {name: a1, node: a}\n  - {name: b1, node: b}\n  - {name: c1, node: c}\n"
                          "attachments:\n";
  std::string both = two, only_keep = two;
  for (const char* c : {"a1", "b1", "c1"}) {
    both += std::string("  - {container: ") + c + ", network: ov, interface: eth0}\n  - {container: " + c +
            ", network: keep, interface: eth1}\n";
    only_keep += std::string("  - {container: ") + c + ", network: keep, interface: eth1}\n";
  }
  dir_.write("topology.yaml", both);
  apply_twice_everywhere();
  ASSERT_NE(etcd_get_prefix("/topo/subnets/ov/"), "");
  dir_.write("topology.yaml", only_keep);
  apply_twice_everywhere();
  EXPECT_EQ(etcd_get_prefix("/topo/subnets/ov/"), "") << "shares of a removed network are kept";
  EXPECT_NE(etcd_get_prefix("/topo/subnets/keep/"), "");
  CmdResult routes = host("a").sh("ip route show proto 116");
  EXPECT_EQ(routes.out.find("10.50."), std::string::npos) << routes.describe();
  EXPECT_NE(routes.out.find("10.60."), std::string::npos) << routes.describe();
  expect_nothing_to_do();
}

// An advertise address no other node can send to is refused before anything.
TEST_F(E2ECluster, AnUnusableAdvertiseAddressIsRefused) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}"));
  for (const char* bad : {"0.0.0.0", "127.0.0.1", "224.0.0.1", "nonsense"}) {
    CmdResult r = host("a").topo({"apply", dir_.path(), "--node", "a", "--etcd", etcd_url(), "--advertise-address", bad,
                                  "--auto-approve"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find("--advertise-address " + std::string(bad)), std::string::npos) << r.describe();
  }
  EXPECT_EQ(etcd_get_prefix("/topo/"), "") << "nothing registered";
  EXPECT_EQ(host("a").sh("ip netns list").out, "");
}

// etcd away: destroy changes nothing either (the node's keys must go with
// its objects, or the others would keep routing to it).
TEST_F(E2ECluster, DestroyWithEtcdAwayChangesNothing) {
  dir_.write("topology.yaml", manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/24}"));
  ASSERT_EQ(apply_on("a", {"--auto-approve"}).exit_code, 0);
  const std::string before = host("a").sh("ip netns list; ip -br link").out;
  etcd().stop();
  CmdResult r = destroy_on("a", {"--auto-approve"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("nothing was changed."), std::string::npos) << r.describe();
  EXPECT_EQ(host("a").sh("ip netns list; ip -br link").out, before);
  etcd().start();
}

// An apply with nothing to change writes nothing to etcd either: every
// write is an event that wakes each node's controller for a full pass.
TEST_F(E2ECluster, ANoOpApplyWritesNothingToEtcd) {
  dir_.write("topology.yaml",
             manifest("{name: ov, driver: overlay, vni: 4242, subnet: 10.50.0.0/16, subnet_per_node: 24}"));
  apply_twice_everywhere();
  auto revision = [&] {
    CmdResult r = sh("ETCDCTL_API=3 etcdctl --endpoints " + etcd_url() + " get /topo/ --prefix --keys-only -w json");
    std::smatch m;
    static const std::regex rev(R"("revision":(\d+))");
    EXPECT_TRUE(std::regex_search(r.out, m, rev)) << r.describe();
    return m.size() > 1 ? m[1].str() : "";
  };
  const std::string before = revision();
  ASSERT_EQ(apply_on("a", {"--auto-approve"}).exit_code, 0);
  ASSERT_EQ(plan_on("b").exit_code, 0);
  EXPECT_EQ(revision(), before) << "a no-op apply wrote to etcd";
}

}  // namespace topo::e2e
