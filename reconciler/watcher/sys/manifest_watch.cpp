#include "reconciler/watcher/sys/manifest_watch.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace topo::watcher {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kTreeMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
                               IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
// In the parent, only PATH's own entry matters: created, replaced, removed, chmod'ed.
constexpr uint32_t kParentMask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR;

bool hidden(const std::string& name) { return !name.empty() && name[0] == '.'; }

}  // namespace

ManifestWatch::ManifestWatch(std::string path) : path_(std::move(path)) {
  fs::path abs = fs::absolute(path_).lexically_normal();
  if (abs.has_filename() == false) abs = abs.parent_path();  // "dir/" -> "dir"
  parent_ = abs.parent_path().string();
  base_ = abs.filename().string();
  fd_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd_) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
  rewatch();
}

void ManifestWatch::add_tree(const std::string& dir) {
  int wd = ::inotify_add_watch(fd_.get(), dir.c_str(), kTreeMask);
  if (wd < 0) {
    spdlog::warn("cannot watch {}: {}; changes there are seen at the next resync", dir, std::strerror(errno));
    return;
  }
  watches_[wd] = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  // Directories are followed through symlinks, as the loader does.
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!hidden(name) && it->is_directory(ec)) add_tree(it->path().string());
  }
}

void ManifestWatch::rewatch() {
  for (const auto& [wd, what] : watches_) ::inotify_rm_watch(fd_.get(), wd);
  watches_.clear();
  parent_wd_ = ::inotify_add_watch(fd_.get(), parent_.c_str(), kParentMask);
  if (parent_wd_ < 0) spdlog::warn("cannot watch {}: {}", parent_, std::strerror(errno));
  else watches_[parent_wd_] = parent_;
  std::error_code ec;
  if (fs::exists(path_, ec)) add_tree(path_);
  spdlog::debug("watching {} ({} inotify watch(es))", path_, watches_.size());
}

bool ManifestWatch::read() {
  alignas(inotify_event) char buf[16384];
  bool changed = false, reshape = false;
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      std::string name = ev->len ? std::string(ev->name) : std::string();
      if (ev->mask & IN_Q_OVERFLOW) {
        changed = reshape = true;
        continue;
      }
      auto it = watches_.find(ev->wd);
      if (it == watches_.end()) continue;  // a watch removed by rewatch(): its IN_IGNORED
      if (ev->wd == parent_wd_) {
        if (name == base_) changed = reshape = true;
        continue;
      }
      if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        changed = reshape = true;
        continue;
      }
      if (hidden(name)) continue;
      changed = true;
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM))) reshape = true;
    }
  }
  if (reshape) rewatch();
  return changed;
}

}  // namespace topo::watcher
