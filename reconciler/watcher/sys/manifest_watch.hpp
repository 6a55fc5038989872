#pragma once
// inotify over the manifest tree: PATH and every directory below it
// (directories created later included), plus PATH's parent directory so that
// an atomic swap of PATH itself is seen: git-sync points a symlink at a new
// worktree and renames it over PATH. After any change to the tree's shape
// (a directory added or removed, PATH replaced, the queue overflowing) the
// watches are laid again from scratch, which also follows the new symlink target.
#include <map>
#include <string>

#include "reconciler/fsutil/fd.hpp"

namespace topo::watcher {

class ManifestWatch {
 public:
  explicit ManifestWatch(std::string path);  // throws std::runtime_error
  int fd() const { return fd_.get(); }
  // Reads the pending events; true if the manifests may have changed.
  bool read();
  size_t watched_dirs() const { return watches_.size(); }

 private:
  void rewatch();
  void add_tree(const std::string& dir);

  std::string path_, parent_, base_;
  Fd fd_;
  std::map<int, std::string> watches_;  // wd -> what it watches
  int parent_wd_ = -1;
};

}  // namespace topo::watcher
