// What `topo import docker` and `topo import cni` make, applied for real
// (issue 19): a host moves over from Docker without renumbering (the
// addresses and MACs docker inspect showed are the ones the containers get),
// and a CNI network becomes a bridge with its subnet, gateway and range.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const std::string kGolden = std::string(TOPO_TEST_DATA) + "/golden/import/";

class E2EImportApply : public E2ETest {};

TEST_F(E2EImportApply, DockerInspectOutputKeepsEveryAddressAndMac) {
  CmdResult imported = topo({"import", "docker", kGolden + "docker/walkthrough/1-networks.json",
                             kGolden + "docker/walkthrough/2-containers.json", "--out", dir_.path()});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  CmdResult r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(ipv4_addrs("alpine1", "eth0"), std::vector<std::string>{"172.18.0.2/16"});
  EXPECT_EQ(ipv4_addrs("alpine1", "eth1"), std::vector<std::string>{"172.17.0.3/16"});
  EXPECT_EQ(ipv4_addrs("alpine2", "eth0"), std::vector<std::string>{"172.18.0.3/16"});
  EXPECT_EQ(link_json("alpine1", "eth0").value("address", ""), "02:42:ac:12:00:02");
  EXPECT_EQ(link_json("legacy1", "eth0").value("address", ""), "02:42:ac:11:00:02");
  EXPECT_TRUE(ping("alpine2", "172.18.0.2"));
  // The alias Docker gave alpine1 on alpine-net resolves for its neighbour.
  CmdResult alias = sh("ip netns exec alpine2 getent hosts web");
  EXPECT_NE(alias.out.find("172.18.0.2"), std::string::npos) << alias.describe();
  EXPECT_EQ(last_line(plan().out), "No changes.");
}

TEST_F(E2EImportApply, ACniNetworkBecomesItsBridgeAndContainersTakeAddressesFromItsRange) {
  CmdResult imported = topo({"import", "cni", kGolden + "cni/mynet/10-mynet.conflist"});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  // A CNI config is a network only: the containers are the user's to add.
  dir_.write("mynet.yaml", imported.out);
  dir_.write("pods.yaml",
             "version: 1\ncontainers:\n  - name: pod1\nattachments:\n  - {container: pod1, network: mynet}\n");
  CmdResult r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(ipv4_addrs("", "cni-mynet0"), std::vector<std::string>{"10.88.0.1/16"});
  const auto pod = ipv4_addrs("pod1", "eth0");
  ASSERT_EQ(pod.size(), 1u);
  EXPECT_EQ(pod[0].rfind("10.88.1.", 0), 0u) << "inside the CNI range 10.88.1.0/24: " << pod[0];
  EXPECT_TRUE(ping("pod1", "10.88.0.1"));
}

}  // namespace
}  // namespace topo::e2e
