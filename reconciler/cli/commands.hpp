#pragma once
// One function per command; each returns the process exit code.
#include <memory>
#include <vector>

#include "reconciler/cli/options.hpp"
#include "reconciler/ipam/address_pools.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/pipeline/pipeline.hpp"

namespace topo::cli {

int cmd_validate(const Options& o);
int cmd_plan(const Options& o);
int cmd_diff(const Options& o);
int cmd_apply(const Options& o);
int cmd_destroy(const Options& o);
int cmd_show(const Options& o);

// The netlink kernel with the flags' netns and /etc/netns dirs.
std::unique_ptr<Kernel> open_kernel(const Options& o);
// What plan, diff and inspect see: this node's model (in cluster mode with
// what etcd says, taking nothing), the kernel read while it loads, IPAM.
// Changes nothing.
Prepared prepare_read_only(const Options& o, Kernel& kernel);

// --address-pools parsed, or Docker's defaults when not given; a UserError
// when it does not parse.
std::vector<AddressPool> address_pools_of(const Options& o);

}  // namespace topo::cli
