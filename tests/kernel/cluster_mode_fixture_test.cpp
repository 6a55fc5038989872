// The cluster-mode fixture itself (cluster_mode_support.hpp): every simulated
// host reaches the one etcd on the switch, etcd listens nowhere else, and
// TearDown leaves nothing behind.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "tests/kernel/cluster_mode_support.hpp"

namespace topo::e2e {
namespace {

class ClusterModeFixture : public ClusterModeTest {};

// The local addresses of the TCP sockets process `pid` listens on in the
// sandbox's namespace.
std::vector<std::string> listeners(pid_t pid) {
  CmdResult r = run({"ss", "-Hltnp"});
  if (r.exit_code != 0) throw std::runtime_error(r.describe());
  std::vector<std::string> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.find("pid=" + std::to_string(pid) + ",") == std::string::npos) continue;
    std::istringstream f(line);
    std::string state, recvq, sendq, local;
    if (f >> state >> recvq >> sendq >> local) out.push_back(local);
  }
  return out;
}

TEST_F(ClusterModeFixture, HostsReachEtcdOnTheSwitch) {
  const std::string url = etcd_url();
  ASSERT_EQ(url.rfind("http://10.99.0.254:", 0), 0u) << url;
  const std::string etcdctl = "ETCDCTL_API=3 etcdctl --dial-timeout 3s --command-timeout 5s --endpoints " + url;

  // Each host writes its own key from inside its namespaces...
  for (SimHost* h : cluster_->hosts()) {
    CmdResult put = h->sh(etcdctl + " put /fixture/" + h->name() + " from-" + h->address());
    ASSERT_EQ(put.exit_code, 0) << put.describe();
    EXPECT_NE(put.out.find("OK"), std::string::npos) << put.describe();
  }
  // ... and reads everybody's.
  const std::string all = "/fixture/a\nfrom-10.99.0.1\n/fixture/b\nfrom-10.99.0.2\n/fixture/c\nfrom-10.99.0.3\n";
  for (SimHost* h : cluster_->hosts()) {
    CmdResult get = h->sh(etcdctl + " get --prefix /fixture/");
    ASSERT_EQ(get.exit_code, 0) << get.describe();
    EXPECT_EQ(get.out, all) << "host " << h->name();
    // The sandbox's loopback is not the host's: 127.0.0.1 there has no etcd
    // (curl's 7: connection refused).
    CmdResult local = h->sh("curl -sS --max-time 3 http://127.0.0.1:" + url.substr(url.rfind(':') + 1) + "/health");
    EXPECT_EQ(local.exit_code, 7) << local.describe();
  }
  EXPECT_EQ(etcd_get_prefix("/fixture/"), all);

  // etcd listens on the switch (clients) and the sandbox's loopback (peer
  // URL) only: never on a wildcard address.
  const auto sockets = listeners(etcd().pid());
  EXPECT_EQ(sockets.size(), 2u) << "etcd should listen twice (client, peer)";
  for (const std::string& l : sockets)
    EXPECT_TRUE(l.rfind("10.99.0.254:", 0) == 0 || l.rfind("127.0.0.1:", 0) == 0) << "listening on " << l;

  // etcd down: the hosts are refused; up again: the same keys.
  etcd().stop();
  CmdResult down = host("b").sh("curl -sS --max-time 3 " + url + "/health");
  EXPECT_EQ(down.exit_code, 7) << down.describe();
  etcd().start();
  CmdResult again = host("b").sh(etcdctl + " get --prefix /fixture/");
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(again.out, all);

  // A background process runs inside its host (the host's network
  // namespace, not the sandbox's) and TearDown kills it.
  WatchProcess& bg = background_on("c", {"sleep", "infinity"});
  const pid_t bg_pid = bg.pid();
  auto netns_of = [](pid_t p) {
    char buf[64] = {};
    ssize_t n = ::readlink(("/proc/" + std::to_string(p) + "/ns/net").c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  };
  CmdResult host_ns = host("c").sh("readlink /proc/self/ns/net");
  ASSERT_TRUE(eventually([&] { return netns_of(bg_pid) + "\n" == host_ns.out; }, std::chrono::seconds(5)))
      << "pid " << bg_pid << " is in " << netns_of(bg_pid) << ", host c is " << host_ns.out;
  EXPECT_NE(netns_of(bg_pid), netns_of(::getpid()));
  ASSERT_TRUE(bg.running());

  // TearDown (called again by gtest afterwards: it does nothing the second
  // time) stops etcd and removes the hosts and the switch.
  const pid_t pid = etcd().pid();
  ASSERT_GT(pid, 0);
  TearDown();
  EXPECT_TRUE(::kill(pid, 0) != 0 && errno == ESRCH) << "etcd (pid " << pid << ") is still there";
  EXPECT_TRUE(::kill(bg_pid, 0) != 0 && errno == ESRCH) << "the background process (pid " << bg_pid << ") is still there";
  EXPECT_TRUE(listeners(pid).empty()) << "etcd still listens";
  EXPECT_FALSE(link_exists("", Cluster::switch_name()));
  for (const std::string& ns : netns_list()) EXPECT_NE(ns.rfind("mh-", 0), 0u) << "host namespace left: " << ns;
}

}  // namespace
}  // namespace topo::e2e
