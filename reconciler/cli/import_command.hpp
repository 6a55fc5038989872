#pragma once
// `topo import compose|docker|cni FILE...`: manifests from what users run
// today, printed (or written to --out DIR); the notes on what is not carried
// over go to stderr. Reads files only: no kernel, no root.
#include <string>
#include <vector>

#include "reconciler/cli/options.hpp"

namespace topo::cli {

struct ImportRequest {
  std::string kind;                // compose | docker | cni: the subcommand parsed
  std::vector<std::string> files;  // FILE (compose, cni) or FILE... (docker)
  std::string out_dir;             // --out: write <name>.yaml there instead of stdout
};

int cmd_import(const Options& o, const ImportRequest& r);

}  // namespace topo::cli
