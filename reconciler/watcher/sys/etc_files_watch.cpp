#include "reconciler/watcher/sys/etc_files_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <spdlog/spdlog.h>

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
  // Adding a watch again is harmless (the same descriptor comes back); it
  // may fail for what does not exist yet.
  base_wd_ = ::inotify_add_watch(inotify_.get(), base_.c_str(), kMask);
  for (const auto& name : containers) {
    const int wd = ::inotify_add_watch(inotify_.get(), (base_ + "/" + name).c_str(), kMask);
    if (wd >= 0) {
      container_of_wd_[wd] = name;
    } else if (errno == ENOSPC && !warned_) {
      // fs.inotify.max_user_watches: one watch per container is needed.
      spdlog::warn("cannot watch {}/{}: the inotify watch limit (fs.inotify.max_user_watches) is reached; hand "
                   "edits of the per-container files beyond it are repaired at the next resync",
                   base_, name);
      warned_ = true;
    }
  }
}

std::set<std::string> EtcFilesWatch::drain() {
  alignas(inotify_event) char buf[8192];
  std::set<std::string> out;
  for (ssize_t n; (n = ::read(inotify_.get(), buf, sizeof buf)) > 0;) {
    for (const char* p = buf; p < buf + n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      if (ev->wd == base_wd_ && ev->len) {
        out.insert(ev->name);  // a container's directory came or went
      } else if (auto it = container_of_wd_.find(ev->wd); it != container_of_wd_.end()) {
        out.insert(it->second);
        if (ev->mask & IN_IGNORED) container_of_wd_.erase(it);  // the directory went
      } else {
        out.insert(".");
      }
    }
  }
  return out;
}

}  // namespace topo::watcher
