#include "reconciler/probe/namespace_entry.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "reconciler/fsutil/fd.hpp"

namespace topo::probe {
namespace {

std::string failed(const std::string& what) { return what + ": " + std::strerror(errno); }

// Each regular file of etc_dir over its namesake in /etc. Entries are opened
// without following symlinks: a link planted there binds nothing.
std::string bind_etc_files(const std::string& etc_dir) {
  // Opened in the new mount namespace: a file opened before it sits on a
  // mount of the old one, which the kernel refuses to bind (EINVAL).
  if (::unshare(CLONE_NEWNS) != 0) return failed("unshare the mount namespace");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return failed("make / private");
  Fd dir(::open(etc_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return errno == ENOENT ? "" : failed("open " + etc_dir);
  DIR* d = ::fdopendir(::dup(dir.get()));
  if (!d) return failed("read " + etc_dir);
  std::string error;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    Fd file(::openat(dir.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat st{};
    if (!file || ::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const std::string source = "/proc/self/fd/" + std::to_string(file.get());
    const std::string target = "/etc/" + name;
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0 && errno != ENOENT) {
      error = failed("bind " + etc_dir + "/" + name + " over " + target);
      break;
    }
  }
  ::closedir(d);
  return error;
}

}  // namespace

std::string enter_namespaces(const std::string& netns, const std::string& etc_dir) {
  if (!etc_dir.empty())
    if (std::string e = bind_etc_files(etc_dir); !e.empty()) return e;
  if (netns.empty()) return "";
  Fd ns(::open(netns.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) return failed("open " + netns);
  if (::setns(ns.get(), CLONE_NEWNET) != 0) return failed("enter " + netns);
  return "";
}

}  // namespace topo::probe
