#pragma once
// Command-line PATHs to the ordered list of manifest files (manifest.md "Files").
#include <string>
#include <vector>

#include "reconciler/loader/diagnostics.hpp"

namespace topo::loader {

// Files given explicitly are taken as is; directories are walked recursively for
// *.yaml / *.yml in sorted path order, skipping names that start with '.'.
// A file reached twice (named and inside a named directory) is read once.
// A path given or found that is not a regular file (a dangling or looping
// symlink, a FIFO, a device) is an error naming it, never skipped: its objects
// would otherwise be planned for destruction. Files are classified by stat
// alone, so a FIFO is never opened. Unreadable regular files fail when read.
std::vector<std::string> collect_manifest_files(const std::vector<std::string>& paths, Diagnostics& diag);

}  // namespace topo::loader
