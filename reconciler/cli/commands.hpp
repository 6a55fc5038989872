#pragma once
// One function per command; each returns the process exit code.
#include <vector>

#include "reconciler/cli/options.hpp"
#include "reconciler/ipam/address_pools.hpp"

namespace topo::cli {

int cmd_validate(const Options& o);
int cmd_plan(const Options& o);
int cmd_diff(const Options& o);
int cmd_apply(const Options& o);
int cmd_destroy(const Options& o);
int cmd_show(const Options& o);

// --address-pools parsed, or Docker's defaults when not given; a UserError
// when it does not parse.
std::vector<AddressPool> address_pools_of(const Options& o);

}  // namespace topo::cli
