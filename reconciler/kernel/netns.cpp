#include "reconciler/kernel/netns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "reconciler/kernel/errors.hpp"

namespace topo::netns {
namespace {

// Runs in its own thread: unshare() moves only that thread, so the caller's
// namespace stays as it was. The thread ends right after the bind mount; the
// mount keeps the namespace alive.
int unshare_and_bind(const std::string& target, const std::function<void()>& inside, std::exception_ptr& failed) {
  if (::unshare(CLONE_NEWNET) != 0) return errno;
  if (inside) {
    try {
      inside();
    } catch (...) {
      failed = std::current_exception();
      return EIO;
    }
  }
  const std::string self = "/proc/self/task/" + std::to_string(::syscall(SYS_gettid)) + "/ns/net";
  if (::mount(self.c_str(), target.c_str(), "none", MS_BIND, nullptr) != 0) return errno;
  return 0;
}

// The netns dir itself (the administrator's choice: followed).
Fd open_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) nl::throw_errno("open netns dir", dir, errno);
  return fd;
}

}  // namespace

// Like iproute2: make the dir a shared mount point, bind-mounting it onto
// itself first if it is not a mount point yet, so that namespace mounts made
// here propagate to every mount namespace that shares the dir.
//
// Recursively only the first time in a process: MS_REC walks every mount
// below the dir (change_mnt_propagation, invent_group_ids), one per
// namespace, so with a walk per create a cold apply of 10 000 containers
// spent seconds there, growing with the square of the count. A mount
// attached below a shared mount is made shared by the kernel, so later
// creates only make sure the dir itself is still a shared mount point.
void ensure_shared_dir(const std::string& dir) {
  static std::mutex mu;
  static std::set<std::string> walked;
  std::lock_guard lock(mu);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) nl::throw_errno("mkdir", dir, errno);
  // Recursively again after a bind mount of its own: the copies of what was
  // mounted below the dir are private, as iproute2 would not leave them.
  bool bound = false;
  auto flags = [&] { return walked.count(dir) && !bound ? MS_SHARED : MS_SHARED | MS_REC; };
  while (::mount("", dir.c_str(), "none", flags(), nullptr) != 0) {
    // EINVAL: not a mount point yet.
    if (errno != EINVAL || bound) nl::throw_errno("make shared", dir, errno);
    if (::mount(dir.c_str(), dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0)
      nl::throw_errno("bind mount", dir, errno);
    bound = true;
  }
  walked.insert(dir);
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

void create(const std::string& dir, const std::string& name, const std::function<void()>& inside) {
  const std::string path = dir + "/" + name;
  ensure_shared_dir(dir);
  Fd d = open_dir(dir);
  // Made with its mark at once: a kill right after the create must not leave
  // a plain file topo could not tell from someone else's. The umask cannot
  // clear the sticky bit, which is what is_placeholder() looks at; fchmod
  // puts back whatever else it took. O_EXCL|O_NOFOLLOW: a symlink there is
  // EEXIST, never created through.
  Fd file(::openat(d.get(), name.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kPlaceholderMode));
  if (!file) nl::throw_errno("create netns file", path, errno);
  if (::fchmod(file.get(), kPlaceholderMode) != 0) {
    const int e = errno;
    ::unlinkat(d.get(), name.c_str(), 0);
    nl::throw_errno("create netns file", path, e);
  }

  // The bind goes onto the placeholder through its descriptor: the name may
  // have been swapped for a symlink meanwhile, the descriptor cannot.
  int err = 0;
  std::exception_ptr failed;
  const std::string target = fd_path(file.get());
  std::thread([&] { err = unshare_and_bind(target, inside, failed); }).join();
  file.reset();
  if (err != 0) {
    ::unlinkat(d.get(), name.c_str(), 0);
    if (failed) std::rethrow_exception(failed);
    nl::throw_errno("create netns", path, err);
  }
}

bool is_placeholder(const std::string& dir, const std::string& name) {
  struct stat st {};
  if (::lstat((dir + "/" + name).c_str(), &st) != 0) return false;
  return S_ISREG(st.st_mode) && (st.st_mode & S_ISVTX) != 0 && st.st_size == 0;
}

bool remove(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d) {
    if (errno == ENOENT) return false;
    nl::throw_errno("open netns dir", dir, errno);
  }
  // A symlink as an entry is never topo's: not unmounted through, not removed.
  struct stat st {};
  if (::fstatat(d.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    nl::throw_refusal("remove netns", path, ELOOP,
                      "is a symbolic link; topo never unmounts or removes through one: remove it by hand");
  // UMOUNT_NOFOLLOW: should the entry become a symlink now, umount2 fails
  // instead of unmounting its target. EINVAL: not mounted (a leftover plain
  // file, or that symlink); unlinkat then removes only the entry itself.
  if (::umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0 && errno != EINVAL && errno != ENOENT)
    nl::throw_errno("unmount netns", path, errno);
  if (::unlinkat(d.get(), name.c_str(), 0) != 0) {
    if (errno == ENOENT) return false;
    nl::throw_errno("unlink netns", path, errno);
  }
  return true;
}

bool is_netns(int fd) {
  const int type = ::ioctl(fd, NS_GET_NSTYPE);
  if (type >= 0) return type == CLONE_NEWNET;
  // Kernels before 4.11 lack NS_GET_NSTYPE: at least require an nsfs file.
  struct statfs fs {};
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == NSFS_MAGIC;
}

Fd open(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) nl::throw_errno("open netns", path, errno);
  if (!is_netns(fd.get())) nl::throw_errno("open netns", path, EINVAL, "not a network namespace");
  return fd;
}

unsigned long inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::vector<std::string> list(const std::string& dir) {
  std::vector<std::string> names;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) {
    if (errno == ENOENT) return names;
    nl::throw_errno("list netns dir", dir, errno);
  }
  while (const dirent* e = ::readdir(d.get())) {
    const std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool entry_exists(const std::string& dir, const std::string& name) {
  struct stat st {};
  return ::fstatat(AT_FDCWD, (dir + "/" + name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace topo::netns
