#pragma once
// Several simulated hosts inside one sandbox, for the multi-host (overlay)
// end-to-end tests. Each host is a network namespace AND a mount namespace of
// its own, with private tmpfs on /run/netns and /etc/netns, its own sysfs and
// its own state dir, so topo running "on" it sees exactly what it would on a
// machine of its own. A holder process (sleep) keeps both namespaces alive;
// every command for the host, topo and checks alike, runs inside them via
// nsenter, because the container namespaces topo makes on host X are bind
// mounts in X's private /run/netns and exist nowhere else.
//
// Underlay: a veth from each host (`ul0`, address 10.99.0.N/24) into a
// bridge `mh-sw` in the sandbox's own namespace, the "switch".
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {

class SimHost {
 public:
  // Builds the host: namespace, holder, mounts, underlay port. Throws with
  // what failed.
  SimHost(std::string name, std::string address);
  ~SimHost();
  SimHost(const SimHost&) = delete;
  SimHost& operator=(const SimHost&) = delete;

  const std::string& name() const { return name_; }
  const std::string& address() const { return address_; }  // underlay, no prefix
  // A shell script run inside the host's namespaces.
  CmdResult sh(const std::string& script) const;
  // The topo binary under test, inside the host, with its own state dir.
  CmdResult topo(const std::vector<std::string>& args) const;
  // One echo answered within three seconds (see e2e::ping), from a container
  // namespace of this host.
  bool ping(const std::string& container, const std::string& address) const;
  // `argv` as a command line that runs inside the host's namespaces with its
  // state dir (nsenter ... env ... argv), for a process run in the background.
  // nsenter and env exec, so the process started is argv's in the end.
  std::vector<std::string> command(const std::vector<std::string>& argv) const;

 private:
  std::vector<std::string> enter() const;  // nsenter prefix
  void cleanup() noexcept;

  std::string name_, address_;
  std::string netns_;      // the host's namespace in the sandbox's netns dir
  std::string state_dir_;  // under the sandbox's state dir
  pid_t holder_ = -1;
};

// Hosts a, b, c (10.99.0.1-3) on one switch.
class Cluster {
 public:
  explicit Cluster(const std::vector<std::string>& names = {"a", "b", "c"});
  ~Cluster();
  SimHost& host(const std::string& name);
  std::vector<SimHost*> hosts();
  // The `hosts:` block of a manifest for these hosts.
  std::string hosts_yaml() const;
  // The bridge in the sandbox's own namespace that every host's ul0 is
  // plugged into.
  static const char* switch_name();

 private:
  std::vector<std::unique_ptr<SimHost>> hosts_;
};

// Base of the multi-host tests: refuses to run outside a sandbox, builds the
// cluster and gives a manifest dir; `apply_on(host)` runs topo apply --node.
class MultiHostTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  CmdResult apply_on(const std::string& host, const std::vector<std::string>& flags = {});
  CmdResult plan_on(const std::string& host, const std::vector<std::string>& flags = {});
  // apply on every host, in order; expects success.
  void apply_everywhere();

  std::unique_ptr<Cluster> cluster_;
  ManifestDir dir_;
};

}  // namespace topo::e2e
