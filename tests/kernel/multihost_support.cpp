#include "tests/kernel/multihost_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace topo::e2e {
namespace {

const char* kSwitch = "mh-sw";

void must(const CmdResult& r, const std::string& what) {
  if (r.exit_code != 0) throw std::runtime_error("multi-host setup: " + what + " failed\n" + r.describe());
}

std::string comm_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string s;
  std::getline(in, s);
  return s;
}

// Starts the holder: inside the host's network namespace, a new mount
// namespace with private /run/netns, /etc/netns and /sys, then sleep. It dies
// with this test process (PDEATHSIG), so a crashed test leaves nothing alive.
pid_t start_holder(const std::string& netns_path) {
  const std::string script =
      "mount -t tmpfs -o mode=0755 tmpfs-mh /run/netns && "
      "mount -t tmpfs -o mode=0755 tmpfs-mh /etc/netns && "
      "mount -t sysfs sysfs-mh /sys && exec sleep infinity";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    const std::string net = "--net=" + netns_path;
    ::execlp("nsenter", "nsenter", net.c_str(), "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
             script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Ready once the script reached sleep (its mounts are then in place).
  for (int i = 0; i < 500; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      throw std::runtime_error("multi-host setup: the namespace holder exited early (status " +
                               std::to_string(status) + ")");
    if (comm_of(pid) == "sleep") return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  throw std::runtime_error("multi-host setup: the namespace holder did not get ready in 5 s");
}

}  // namespace

SimHost::SimHost(std::string name, std::string address) : name_(std::move(name)), address_(std::move(address)) {
  const char* netns_dir = std::getenv("TOPO_NETNS_DIR");
  const char* state = std::getenv("TOPO_STATE_DIR");
  if (!netns_dir || !state) throw std::runtime_error("multi-host setup: not in a sandbox (TOPO_* unset)");
  netns_ = "mh-" + name_;
  state_dir_ = std::string(state) + "/host-" + name_;
  try {
    // In the sandbox's own namespace (e2e::sh), not yet inside the host.
    must(run({"mkdir", "-p", "-m", "0700", state_dir_}), "state dir of " + name_);
    must(run({"ip", "netns", "add", netns_}), "namespace of host " + name_);
    const std::string port = "mh-" + name_ + "-ul";
    must(e2e::sh("ip link add " + port + " type veth peer name ul0 netns " + netns_ + " && ip link set " + port +
                 " master " + kSwitch + " up"),
         "underlay port of " + name_);
    must(e2e::sh("ip -n " + netns_ + " link set lo up && ip -n " + netns_ + " addr add " + address_ +
                 "/24 dev ul0 && ip -n " + netns_ + " link set ul0 up"),
         "underlay address of " + name_);
    holder_ = start_holder(std::string(netns_dir) + "/" + netns_);
  } catch (...) {
    cleanup();
    throw;
  }
}

SimHost::~SimHost() { cleanup(); }

void SimHost::cleanup() noexcept {
  // Killing the holder drops the host's mount namespace, and with it the bind
  // mounts of every container namespace topo made there.
  if (holder_ > 0) {
    ::kill(holder_, SIGKILL);
    ::waitpid(holder_, nullptr, 0);
    holder_ = -1;
  }
  try {
    run({"ip", "netns", "del", netns_});  // takes the underlay veth pair with it
    run({"rm", "-rf", state_dir_});
  } catch (...) {
  }
}

std::vector<std::string> SimHost::enter() const {
  return {"nsenter", "-t", std::to_string(holder_), "-m", "-n", "--",
          "env",     "TOPO_STATE_DIR=" + state_dir_, "TOPO_NETNS_DIR=/run/netns"};
}

std::vector<std::string> SimHost::command(const std::vector<std::string>& argv) const {
  auto out = enter();
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

CmdResult SimHost::sh(const std::string& script) const {
  auto argv = enter();
  argv.insert(argv.end(), {"/bin/sh", "-c", script});
  CmdResult r = run(argv);
  r.command = "[host " + name_ + "] " + script;
  return r;
}

CmdResult SimHost::topo(const std::vector<std::string>& args) const {
  auto argv = enter();
  argv.push_back(TOPO_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  CmdResult r = run(argv);
  r.command = "[host " + name_ + "] " + r.command;
  return r;
}

bool SimHost::ping(const std::string& container, const std::string& address) const {
  return sh("ip netns exec " + container + " ping -c1 -i0.2 -w3 " + address + " >/dev/null 2>&1").exit_code == 0;
}

Cluster::Cluster(const std::vector<std::string>& names) {
  must(e2e::sh(std::string("ip link add ") + kSwitch + " type bridge && ip link set " + kSwitch + " up"), "switch");
  try {
    int n = 1;
    for (const auto& name : names)
      hosts_.push_back(std::make_unique<SimHost>(name, "10.99.0." + std::to_string(n++)));
  } catch (...) {
    hosts_.clear();
    run({"ip", "link", "del", kSwitch});
    throw;
  }
}

Cluster::~Cluster() {
  hosts_.clear();
  run({"ip", "link", "del", kSwitch});
}

SimHost& Cluster::host(const std::string& name) {
  for (auto& h : hosts_)
    if (h->name() == name) return *h;
  throw std::runtime_error("no simulated host " + name);
}

std::vector<SimHost*> Cluster::hosts() {
  std::vector<SimHost*> out;
  for (auto& h : hosts_) out.push_back(h.get());
  return out;
}

const char* Cluster::switch_name() { return kSwitch; }

std::string Cluster::hosts_yaml() const {
  std::string s = "hosts:\n";
  for (const auto& h : hosts_) s += "  - {name: " + h->name() + ", address: " + h->address() + "}\n";
  return s;
}

void MultiHostTest::SetUp() {
  std::string problem = sandbox_problem();
  if (!problem.empty()) GTEST_FAIL() << "refusing to run a multi-host test: " << problem;
  cluster_ = std::make_unique<Cluster>();
}

void MultiHostTest::TearDown() {
  if (!cluster_) return;
  for (SimHost* h : cluster_->hosts()) {
    CmdResult r = h->topo({"destroy", dir_.path()});
    EXPECT_EQ(r.exit_code, 0) << "cleanup failed\n" << r.describe();
  }
  cluster_.reset();
}

CmdResult MultiHostTest::apply_on(const std::string& host, const std::vector<std::string>& flags) {
  std::vector<std::string> args{"apply", dir_.path(), "--node", host};
  args.insert(args.end(), flags.begin(), flags.end());
  return cluster_->host(host).topo(args);
}

CmdResult MultiHostTest::plan_on(const std::string& host, const std::vector<std::string>& flags) {
  std::vector<std::string> args{"plan", dir_.path(), "--node", host};
  args.insert(args.end(), flags.begin(), flags.end());
  return cluster_->host(host).topo(args);
}

void MultiHostTest::apply_everywhere() {
  for (SimHost* h : cluster_->hosts()) {
    CmdResult r = apply_on(h->name());
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }
}

}  // namespace topo::e2e
