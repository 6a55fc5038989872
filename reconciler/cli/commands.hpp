#pragma once
// One function per command; each returns the process exit code.
#include "reconciler/cli/options.hpp"

namespace topo::cli {

int cmd_validate(const Options& o);
int cmd_plan(const Options& o);
int cmd_diff(const Options& o);
int cmd_apply(const Options& o);
int cmd_destroy(const Options& o);
int cmd_show(const Options& o);

}  // namespace topo::cli
