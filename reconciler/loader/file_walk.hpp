#pragma once
// Command-line PATHs to the ordered list of manifest files (manifest.md "Files").
#include <string>
#include <vector>

#include "reconciler/loader/diagnostics.hpp"

namespace topo::loader {

// Files given explicitly are taken as is; directories are walked recursively for
// *.yaml / *.yml in sorted path order, skipping names that start with '.'.
// A file reached twice (named and inside a named directory) is read once.
std::vector<std::string> collect_manifest_files(const std::vector<std::string>& paths, Diagnostics& diag);

}  // namespace topo::loader
