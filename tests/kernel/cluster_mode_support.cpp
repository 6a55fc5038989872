#include "tests/kernel/cluster_mode_support.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <stdexcept>

namespace topo::e2e {

ClusterModeTest::ClusterModeTest(std::vector<std::string> hosts) : host_names_(std::move(hosts)) {}

ClusterModeTest::~ClusterModeTest() {
  // Whatever TearDown did or did not get to: no controller outlives the test.
  watches_.clear();
}

void ClusterModeTest::SetUp() {
  std::string problem = sandbox_problem();
  if (!problem.empty()) GTEST_FAIL() << "refusing to run a cluster-mode test: " << problem;
  ::umask(022);  // the watcher refuses manifests writable by group or others
  // ... and below a directory others may write (/tmp): /run is the sandbox's
  // own tmpfs, root's, 0755, and the simulated hosts see it too.
  dir_.move_under("/run");
  cluster_ = std::make_unique<Cluster>(host_names_);
  const std::string sw = Cluster::switch_name();
  CmdResult addr = sh("ip addr add " + std::string(kSwitchAddress) + "/24 dev " + sw);
  ASSERT_EQ(addr.exit_code, 0) << "cannot give the switch its address\n" << addr.describe();
  etcd_ = std::make_unique<test::EtcdServer>(test::EtcdServer::Mode::plain, kSwitchAddress);
  set_up_ = true;
}

void ClusterModeTest::TearDown() {
  // Controllers first: a running one would put back what destroy removes.
  for (auto& [name, w] : watches_)
    if (w->running()) {
      w->signal(SIGKILL);
      w->wait_exit(std::chrono::seconds(5));
    }
  watches_.clear();
  if (set_up_ && cluster_ && etcd_) {
    if (!etcd_->running()) {
      try {
        etcd_->start();
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup: etcd did not start again: " << e.what();
      }
    }
    for (const std::string& h : touched_) {
      CmdResult r = destroy_on(h);
      EXPECT_EQ(r.exit_code, 0) << "cleanup failed on host " << h << "\n" << r.describe();
    }
  }
  touched_.clear();
  etcd_.reset();  // stops etcd, removes its data dir
  cluster_.reset();  // the hosts, then the switch with its address
}

void ClusterModeTest::touch(const std::string& host) {
  if (std::find(touched_.begin(), touched_.end(), host) == touched_.end()) touched_.push_back(host);
}

std::vector<std::string> ClusterModeTest::cluster_flags(const std::string& host) const {
  std::vector<std::string> f{"--node", host, "--etcd", etcd_->url(), "--advertise-address",
                             cluster_->host(host).address()};
  if (!etcd_prefix_.empty()) f.insert(f.end(), {"--etcd-prefix", etcd_prefix_});
  return f;
}

CmdResult ClusterModeTest::topo_on(const std::string& host, const std::string& command,
                                   const std::vector<std::string>& flags) {
  std::vector<std::string> args{command, dir_.path()};
  auto cf = cluster_flags(host);
  args.insert(args.end(), cf.begin(), cf.end());
  args.insert(args.end(), flags.begin(), flags.end());
  return cluster_->host(host).topo(args);
}

CmdResult ClusterModeTest::apply_on(const std::string& host, const std::vector<std::string>& flags) {
  touch(host);
  return topo_on(host, "apply", flags);
}

CmdResult ClusterModeTest::plan_on(const std::string& host, const std::vector<std::string>& flags) {
  return topo_on(host, "plan", flags);
}

CmdResult ClusterModeTest::diff_on(const std::string& host, const std::vector<std::string>& flags) {
  return topo_on(host, "diff", flags);
}

CmdResult ClusterModeTest::destroy_on(const std::string& host, const std::vector<std::string>& flags) {
  return topo_on(host, "destroy", flags);
}

WatchProcess& ClusterModeTest::watch_on(const std::string& host, const std::vector<std::string>& flags) {
  touch(host);
  std::vector<std::string> argv{TOPO_BINARY, "--log-level", "debug", "watch", dir_.path(), "--debounce", "100"};
  auto cf = cluster_flags(host);
  argv.insert(argv.end(), cf.begin(), cf.end());
  argv.insert(argv.end(), flags.begin(), flags.end());
  return background_on(host, argv);
}

WatchProcess& ClusterModeTest::background_on(const std::string& host, const std::vector<std::string>& argv) {
  if (watches_.count(host) && watches_.at(host)->running())
    throw std::logic_error("a background process already runs on host " + host);
  auto w = std::make_unique<WatchProcess>(WatchProcess::Command{cluster_->host(host).command(argv)});
  WatchProcess& ref = *w;
  watches_[host] = std::move(w);
  return ref;
}

WatchProcess& ClusterModeTest::watch(const std::string& host) {
  auto it = watches_.find(host);
  if (it == watches_.end()) throw std::logic_error("no controller was started on host " + host);
  return *it->second;
}

int ClusterModeTest::stop_watch(const std::string& host, std::chrono::milliseconds timeout) {
  WatchProcess& w = watch(host);
  w.signal(SIGTERM);
  int code = w.wait_exit(timeout);
  if (code == -1) {
    ADD_FAILURE() << "the controller on host " << host << " did not stop within " << timeout.count()
                  << " ms of SIGTERM; killed\n"
                  << w.log();
    w.signal(SIGKILL);
    w.wait_exit(std::chrono::seconds(5));
  }
  watches_.erase(host);
  return code;
}

void ClusterModeTest::kill_watch(const std::string& host) {
  WatchProcess& w = watch(host);
  w.signal(SIGKILL);
  if (w.wait_exit(std::chrono::seconds(5)) == -1) ADD_FAILURE() << "the controller on host " << host << " survived SIGKILL";
  watches_.erase(host);
}

uint64_t ClusterModeTest::watch_passes(const std::string& host) {
  try {
    auto j = nlohmann::json::parse(cluster_->host(host).topo({"status", "-o", "json"}).out);
    return j["totals"]["passes"].get<uint64_t>();
  } catch (...) {
    return 0;
  }
}

std::string ClusterModeTest::etcd_get_prefix(const std::string& prefix) {
  CmdResult r = run({"env", "ETCDCTL_API=3", "etcdctl", "--endpoints", etcd_->url(), "--dial-timeout", "3s",
                     "--command-timeout", "5s", "get", "--prefix", prefix});
  if (r.exit_code != 0) throw std::runtime_error("etcdctl get --prefix " + prefix + " failed\n" + r.describe());
  return r.out;
}

}  // namespace topo::e2e
