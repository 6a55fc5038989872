#pragma once
// Helpers for the end-to-end tests: they drive the real `topo` binary and check
// the kernel with ip(8) and ping(8), inside the sandbox ctest puts every test
// process in (tests/sandbox.sh).
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace topo::e2e {

struct CmdResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
  // For assertion messages: what ran and everything it said.
  std::string describe() const;
  std::string command;
};

// Runs argv (no shell) and captures stdout and stderr separately.
CmdResult run(const std::vector<std::string>& argv);
// Runs a shell script with /bin/sh -c.
CmdResult sh(const std::string& script);
// Runs the topo binary under test with the given arguments.
CmdResult topo(const std::vector<std::string>& args);
// The last non-empty line of text ("" if none).
std::string last_line(const std::string& text);

// Empty when this process runs in a network namespace of its own (not PID 1's)
// with the sandbox's environment; else why not.
std::string sandbox_problem();

// A temporary directory of manifests, removed on destruction.
class ManifestDir {
 public:
  ManifestDir();
  ~ManifestDir();
  ManifestDir(const ManifestDir&) = delete;
  ManifestDir& operator=(const ManifestDir&) = delete;
  // Writes (replaces) a file; returns its path.
  std::string write(const std::string& name, const std::string& yaml);
  void remove(const std::string& name);
  std::string path() const { return dir_.string(); }
  // Starts over, empty, in a new directory under `base` (the watcher's trust
  // rule refuses manifests below the world-writable /tmp).
  void move_under(const std::string& base);

 private:
  std::filesystem::path dir_;
};

// `ip -j ...` parsed; throws on failure.
nlohmann::json ip_json(const std::vector<std::string>& args);
// Names of the namespaces in the netns dir.
std::vector<std::string> netns_list();
bool link_exists(const std::string& ns, const std::string& ifname);
// Host link whose alias is `alias` ("" if none).
std::string link_with_alias(const std::string& alias);
// Aliases of all host links that start with "topo" (topo: and topo-peer:).
std::vector<std::string> topo_aliases(const std::string& ns = "");
// IPv4 CIDRs on an interface ("172.10.0.2/24").
std::vector<std::string> ipv4_addrs(const std::string& ns, const std::string& ifname);
// Everything the tests compare before and after: links (name, kind, state,
// mtu, mac, master, alias), addresses and routes of the host and of every
// namespace in the netns dir, and the namespace list. Ifindexes are left out.
std::string kernel_snapshot();
// One echo answered, from inside a namespace. It asks again every 0.2 s for
// up to ten seconds and returns at the first reply: a port made a moment ago
// drops packets until the kernel's linkwatch passes its carrier on, and that
// work waits for the rtnl lock, which a namespace torn down elsewhere on a
// busy machine can hold for seconds (CI saw three seconds run out).
bool ping(const std::string& ns, const std::string& address);
// No echo answered within two seconds: for paths that must stay closed.
bool no_reply(const std::string& ns, const std::string& address);

// A machine on the host's LAN: namespace `ns` behind a veth whose host end
// `uplink` has `host_address`/24 and whose other end, eth0 in `ns`, has
// `outside_address`/24. No route to the containers' subnets, so only what
// the host translates reaches them. Removed by remove_outside_machine.
CmdResult add_outside_machine(const std::string& ns, const std::string& uplink, const std::string& host_address,
                              const std::string& outside_address);
void remove_outside_machine(const std::string& ns, const std::string& uplink);
// `ip -j -d link show dev IFNAME` of one link; null when it does not exist.
nlohmann::json link_json(const std::string& ns, const std::string& ifname);
// The first IPv4 address on an interface, without prefix ("" if none).
std::string ipv4_of(const std::string& ns, const std::string& ifname);

// Base of every end-to-end test: refuses to run outside a sandbox, gives the
// test a manifest dir and destroys what it applied from there at the end, so
// that tests run by hand in one shared sandbox do not see each other's objects.
class E2ETest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // topo apply/plan/destroy on this test's manifest dir, plus extra flags.
  CmdResult apply(const std::vector<std::string>& flags = {});
  CmdResult plan(const std::vector<std::string>& flags = {});
  CmdResult destroy(const std::vector<std::string>& flags = {});

  ManifestDir dir_;
  bool sandboxed_ = false;
};

}  // namespace topo::e2e
