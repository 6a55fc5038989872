#pragma once
// `topo inspect network|container NAME [PATH...]`: one object of the
// manifests in full, as plan would make it now (reconciler/view/). Reads the
// kernel and the state dir, changes nothing. Without PATH, the manifests
// `topo watch` keeps in force (the PATH its status in the state dir names).
#include <string>

#include "reconciler/cli/options.hpp"

namespace topo::cli {

struct InspectRequest {
  std::string kind;  // network | container
  std::string name;
};

int cmd_inspect(const Options& given, const InspectRequest& r);

}  // namespace topo::cli
