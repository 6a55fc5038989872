#pragma once
// `topo graph`: a picture of the topology, read like `topo plan` (the
// manifests with what IPAM chose), changing nothing; `--live` marks what the
// kernel has missing, drifted or extra, as `topo diff` finds it.
#include <string>

#include "reconciler/cli/options.hpp"

namespace topo::cli {

struct GraphFlags {
  std::string format;             // dot | mermaid | json | svg; "" = json under -o json, else dot
  bool live = false;              // --live
  std::string group_by = "auto";  // auto | host | network | none
  std::string out_file;           // --out: write the picture there instead of stdout
};

int cmd_graph(const Options& o, const GraphFlags& g);

}  // namespace topo::cli
