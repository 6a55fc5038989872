#pragma once
// `topo inspect network|container NAME [PATH...]`: one object of the
// manifests in full, as plan would make it now (reconciler/view/). Reads the
// kernel and the state dir, changes nothing.
#include <string>

#include "reconciler/cli/options.hpp"

namespace topo::cli {

struct InspectRequest {
  std::string kind;  // network | container
  std::string name;
};

int cmd_inspect(const Options& o, const InspectRequest& r);

}  // namespace topo::cli
