#pragma once
// Manifests are root's to write: whoever can write them can rewire the host.
// The watcher refuses a manifest tree in which a file or directory (PATH
// itself, followed through symlinks, and everything below it that the loader
// would read) is writable by group or others.
#include <string>
#include <vector>

namespace topo::watcher {

// One line per offending path ("PATH: writable by group or others (mode
// 0775); ..."); empty when the tree is fine or cannot be read (the loader
// reports that).
std::vector<std::string> writable_manifest_paths(const std::string& path);

}  // namespace topo::watcher
