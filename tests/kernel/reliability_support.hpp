#pragma once
// Helpers shared by the reliability e2e tests (crash, fault rollback,
// concurrency, lost state): big manifests, runs with the fault-injection
// hook set (reconciler/executor/fault_injection.hpp), and "what is left".
#include <string>
#include <vector>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {

// `networks` bridge networks and `containers` containers spread over them
// round-robin (each on one network; every third one on a second network too,
// with a sysctl and a published port), subnets 10.(base+i).0.0/24.
std::string big_manifest(int networks, int containers, int base = 70);

// topo with extra environment variables ("NAME=value").
CmdResult topo_env(const std::vector<std::string>& env, const std::vector<std::string>& args);

// Everything topo marks that is still in this sandbox, one line each: host
// links with topo aliases, namespaces in the netns dir, nftables tables named
// topo. Empty when nothing is left.
std::vector<std::string> topo_leftovers();

// Everything topo manages, for before/after comparisons: kernel_snapshot()
// (links, addresses, routes of host and namespaces), `nft -j list ruleset`
// restricted to topo's tables, and `topo show -o json` when given a dir.
std::string managed_dump(const std::string& manifest_dir);

}  // namespace topo::e2e
