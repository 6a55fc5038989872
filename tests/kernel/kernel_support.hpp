#pragma once
// Shared by the real-kernel tests: the sandbox guard, shell helpers for
// checking from the outside, and a fixture that leaves the sandbox clean.
#include <gtest/gtest.h>

#include <string>

#include "reconciler/resources/resource.hpp"

namespace topo::test {

// True when this process's network namespace differs from PID 1's, i.e. we
// run inside tests/sandbox.sh (or something like it), never on the host.
bool in_private_netns();

// Runs a shell command; returns its exit status and captures stdout.
int sh(const std::string& cmd, std::string* out = nullptr);
std::string sh_out(const std::string& cmd);

std::string netns_dir();  // $TOPO_NETNS_DIR or /run/netns

// Builders for the resources the tests use.
Resource ns_res(const std::string& name);
Resource bridge_res(const std::string& name, const std::string& mtu = "1500", const std::string& mac = "");
Resource veth_res(const std::string& ns, const std::string& name, const std::string& peer,
                  const std::string& master, const std::string& mtu = "1500", const std::string& mac = "");
Resource addr_res(const std::string& ns, const std::string& dev, const std::string& cidr);
Resource route_res(const std::string& ns, const std::string& name, const std::string& dev,
                   const std::string& via);

const Resource* find(const Observed& o, const std::string& key);

// Refuses to run outside a private namespace; cleans up what tests made.
class KernelTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
};

}  // namespace topo::test
