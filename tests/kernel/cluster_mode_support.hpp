#pragma once
// Base of the cluster-mode end-to-end tests (issue 17): simulated hosts
// (multihost_support.hpp: a, b, c on 10.99.0.1-3, plugged into the switch
// `mh-sw`) and ONE real etcd they all reach. The switch gets 10.99.0.254/24
// in the sandbox's own namespace and etcd serves clients there only
// (etcd_server.hpp; its peer URL is on the sandbox's 127.0.0.1), so nothing
// outside the sandbox can see it, and it dies with the test.
//
//   class ClusterOverlay : public ClusterModeTest {};
//   TEST_F(ClusterOverlay, ...) {
//     dir_.write("t.yaml", ...);
//     ASSERT_EQ(apply_on("a").exit_code, 0);   // topo apply DIR --node a --etcd URL --advertise-address 10.99.0.1
//     watch_on("b");                            // topo watch in the background, inside host b
//     etcd_get_prefix("/topo/subnets/");        // what etcd holds, via etcdctl
//     etcd().stop(); ... etcd().start();        // etcd down for a while
//   }
//
// TearDown kills every controller still running (SIGKILL), then runs
// `topo destroy DIR` with the cluster flags on every host where apply_on
// or watch_on ran (etcd is started again first if a test left it stopped),
// then stops etcd and removes the hosts and the switch.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/etcd_server.hpp"
#include "tests/kernel/multihost_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {

class ClusterModeTest : public ::testing::Test {
 public:
  // The switch's address, where etcd serves its clients.
  static constexpr const char* kSwitchAddress = "10.99.0.254";

 protected:
  // The simulated hosts to build (10.99.0.1, .2, ... in this order).
  explicit ClusterModeTest(std::vector<std::string> hosts = {"a", "b", "c"});
  ~ClusterModeTest() override;
  void SetUp() override;
  void TearDown() override;

  // topo CMD DIR --node HOST --etcd URL --advertise-address ADDR [FLAGS...],
  // inside the simulated host.
  CmdResult apply_on(const std::string& host, const std::vector<std::string>& flags = {});
  CmdResult plan_on(const std::string& host, const std::vector<std::string>& flags = {});
  CmdResult diff_on(const std::string& host, const std::vector<std::string>& flags = {});
  CmdResult destroy_on(const std::string& host, const std::vector<std::string>& flags = {});
  CmdResult topo_on(const std::string& host, const std::string& command, const std::vector<std::string>& flags = {});
  // --node HOST --etcd URL --advertise-address ADDR (and --etcd-prefix when
  // etcd_prefix_ is set).
  std::vector<std::string> cluster_flags(const std::string& host) const;

  // `topo --log-level debug watch DIR --debounce 100` plus the cluster flags
  // and `flags`, in the background inside the host (one per host). Its log:
  // watch(host).log().
  WatchProcess& watch_on(const std::string& host, const std::vector<std::string>& flags = {});
  // Any command (argv[0] a path or a name in PATH) in the background inside
  // the host, handled like a controller (watch, stop_watch, kill_watch,
  // killed at TearDown). One background process per host.
  WatchProcess& background_on(const std::string& host, const std::vector<std::string>& argv);
  WatchProcess& watch(const std::string& host);
  // SIGTERM, then waits up to `timeout` for it to end: its exit code (-1 if
  // it had to be killed after the timeout). The process is forgotten.
  int stop_watch(const std::string& host, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGKILL (a crash), waited for. The process is forgotten.
  void kill_watch(const std::string& host);
  // The passes `topo status -o json` has on record in the host's state dir
  // (0 when none or when it cannot be read).
  uint64_t watch_passes(const std::string& host);

  // `ETCDCTL_API=3 etcdctl --endpoints URL get --prefix PREFIX`, run in the
  // sandbox's namespace: key and value lines, alternately. Throws (a test
  // failure) when etcdctl fails.
  std::string etcd_get_prefix(const std::string& prefix = "/topo");
  test::EtcdServer& etcd() { return *etcd_; }
  std::string etcd_url() const { return etcd_->url(); }
  SimHost& host(const std::string& name) { return cluster_->host(name); }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<test::EtcdServer> etcd_;
  ManifestDir dir_;
  std::string etcd_prefix_;  // empty: topo's default (/topo)

 private:
  std::vector<std::string> host_names_;
  std::map<std::string, std::unique_ptr<WatchProcess>> watches_;
  std::vector<std::string> touched_;  // hosts to destroy on at TearDown
  bool set_up_ = false;
  void touch(const std::string& host);
};

}  // namespace topo::e2e
