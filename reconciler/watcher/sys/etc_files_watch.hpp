#pragma once
// inotify on the per-container files topo writes (<etc-netns-dir>/<name>/
// hosts and resolv.conf): a hand edit, a deleted file or a removed directory
// wakes the controller at once instead of at the next resync, for a pass
// over that container: the pass reads the files back and decides.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/fsutil/fd.hpp"

namespace topo::watcher {

class EtcFilesWatch {
 public:
  explicit EtcFilesWatch(std::string etc_netns_dir);  // throws std::runtime_error

  int fd() const { return inotify_.get(); }
  // Watches the base dir and the directories of these containers (those
  // present; a missing one is seen through the base dir when it comes).
  void watch(const std::vector<std::string>& containers);
  // Reads what is pending: the names of the containers whose directory or
  // files changed ("." for the base dir itself, or a lost event).
  std::set<std::string> drain();

 private:
  std::string base_;
  Fd inotify_;
  int base_wd_ = -1;
  std::map<int, std::string> container_of_wd_;
  bool warned_ = false;
};

}  // namespace topo::watcher
