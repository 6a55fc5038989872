#include "reconciler/watcher/sys/etc_files_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace topo::watcher {

namespace {

// Writes land by rename (topo's own, editors') or in place; deletions of the
// files or of the whole directory count too.
constexpr unsigned kMask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                           IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR;

}  // namespace

EtcFilesWatch::EtcFilesWatch(std::string etc_netns_dir) : base_(std::move(etc_netns_dir)) {
  inotify_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
}

void EtcFilesWatch::watch(const std::vector<std::string>& containers) {
  // Adding a watch again is harmless; it may fail for what does not exist yet.
  ::inotify_add_watch(inotify_.get(), base_.c_str(), kMask);
  for (const auto& name : containers) ::inotify_add_watch(inotify_.get(), (base_ + "/" + name).c_str(), kMask);
}

bool EtcFilesWatch::drain() {
  alignas(inotify_event) char buf[8192];
  bool any = false;
  while (::read(inotify_.get(), buf, sizeof buf) > 0) any = true;
  return any;
}

}  // namespace topo::watcher
