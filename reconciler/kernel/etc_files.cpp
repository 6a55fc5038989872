#include "reconciler/kernel/etc_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>  // renameat2, RENAME_NOREPLACE
#include <memory>
#include <string>

#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/kernel/errors.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::etcfiles {
namespace {

// The temporaries of fsutil::write_atomic and of make_marked_dir: topo's own.
constexpr const char* kTmpPrefix = fsutil::kTempPrefix;
constexpr std::size_t kMaxRead = 1 << 20;  // a hosts file is small; a huge one is drift, not a reason to OOM

std::string join(const std::string& a, const std::string& b) { return a + "/" + b; }

// The base dir itself is the administrator's choice (it may be a symlink to
// elsewhere); only what topo creates inside it is guarded.
Fd open_base(const std::string& base, bool create) {
  int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create) {
    if (::mkdir(base.c_str(), 0755) != 0 && errno != EEXIST) nl::throw_errno("create directory", base, errno);
    fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0 && errno == ENOENT && !create) return Fd();
  if (fd < 0) nl::throw_errno("open directory", base, errno);
  return Fd(fd);
}

// What the mark of a directory says: its identity.
std::string identity_of(int dir_fd) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) return {};
  return "dev " + std::to_string(st.st_dev) + " ino " + std::to_string(st.st_ino) + "\n";
}

// The marks dir, never followed if it is a symlink. Reading (create false):
// anything but a real directory counts as no marks, so nothing is Owned.
// Writing: a symlink or a non-directory there is an error naming it.
Fd open_marks(int base_fd, const std::string& base, bool create) {
  const std::string path = join(base, ownership::kEtcMarksDir);
  if (create) return fsutil::make_dir_at(base_fd, ownership::kEtcMarksDir, 0755, path);
  return Fd(::openat(base_fd, ownership::kEtcMarksDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

bool has_marker_in(int marks_fd, const std::string& container, int dir_fd) {
  if (marks_fd < 0) return false;
  Fd fd(::openat(marks_fd, container.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return false;
  char buf[128];
  ssize_t n = ::read(fd.get(), buf, sizeof buf);
  const std::string want = identity_of(dir_fd);
  return n > 0 && !want.empty() && std::string(buf, static_cast<std::size_t>(n)) == want;
}

// Relative to base_fd, never following a link as the last component; the
// mark is looked up in marks_fd (-1: none).
DirOwner open_in_marked(int base_fd, int marks_fd, const std::string& container, Fd& out) {
  int fd = ::openat(base_fd, container.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? DirOwner::Absent : DirOwner::Foreign;  // ELOOP, ENOTDIR, ...
  out = Fd(fd);
  return has_marker_in(marks_fd, container, out.get()) ? DirOwner::Owned : DirOwner::Foreign;
}

DirOwner open_in(int base_fd, const std::string& container, Fd& out) {
  Fd marks = open_marks(base_fd, "", false);
  return open_in_marked(base_fd, marks.get(), container, out);
}

[[noreturn]] void refuse_foreign(const std::string& op, const std::string& path) {
  nl::throw_errno(op, path, EEXIST,
                  std::string("exists and is not topo's (a symlink, not a directory, or no mark ") +
                      ownership::kEtcMarksDir + "/<container> for it); topo leaves it alone: move it away or rename the container");
}

void write_atomic(int dir_fd, const std::string& file, const std::string& content, const std::string& path) {
  // A symlink planted in place of hosts or resolv.conf is replaced by the new
  // file (renameat acts on the link itself): drift, repaired, never written through.
  // ip netns exec bind-mounts every entry of the directory: leave no stray temporaries.
  fsutil::remove_stale_temporaries(dir_fd, file, path);
  // Not flushed to the disk: hosts and resolv.conf serve namespaces that a
  // reboot removes, and one left stale or torn by a crash is drift that the
  // next pass writes again. Two flushes per file (about 1 ms on an ext4 of a
  // virtual machine) were 4000 for a cold apply of 1000 containers. The
  // marks that say a directory is topo's stay flushed.
  fsutil::write_atomic(dir_fd, file, content, 0644, path, fsutil::OnSymlink::Replace, fsutil::Durability::Volatile);
}

// A mark planted as a symlink is refused: it would vouch for someone else's directory.
void write_mark(int marks_fd, const std::string& container, const std::string& content, const std::string& path) {
  fsutil::write_atomic(marks_fd, container, content, 0644, path, fsutil::OnSymlink::Refuse);
}

std::vector<std::string> entries(int dir_fd, const std::string& path) { return fsutil::entries(dir_fd, path); }

}  // namespace

DirOwner open_dir(const std::string& base, const std::string& container, Fd& dir_out) {
  Fd b = open_base(base, false);
  if (!b) return DirOwner::Absent;
  return open_in(b.get(), container, dir_out);
}

DirReader::DirReader(const std::string& base) : base_(open_base(base, false)) {
  if (base_) marks_ = open_marks(base_.get(), base, false);
}

DirOwner DirReader::open(const std::string& container, Fd& dir_out) const {
  if (!base_) return DirOwner::Absent;
  return open_in_marked(base_.get(), marks_.get(), container, dir_out);
}

std::vector<std::string> list(const std::string& base) {
  Fd b = open_base(base, false);
  if (!b) return {};
  return entries(b.get(), base);
}

std::optional<std::string> read(int dir_fd, const std::string& file, const std::string& path) {
  Fd fd(::openat(dir_fd, file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) return std::string();  // a planted symlink: present, never followed
    nl::throw_errno("read file", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) nl::throw_errno("stat file", path, errno);
  if (!S_ISREG(st.st_mode)) return std::string();  // a fifo, a directory...: not ours to read
  std::string out;
  char buf[8192];
  while (out.size() <= kMaxRead) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) nl::throw_errno("read file", path, errno);
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    // A regular file reads short only at its end: no second call to hear
    // it (two calls less per container in a plan).
    if (static_cast<std::size_t>(n) < sizeof buf) break;
  }
  return out;
}

namespace {

// Makes <base>/<container>/ marked, or returns false when something else took
// the name meanwhile. The directory is made under a temporary name, marked,
// then renamed into place (the inode, and so the mark, stay): a kill at any
// point leaves no unmarked directory under the container's name.
bool make_marked_dir(int base_fd, const std::string& base, const std::string& container, Fd& dir) {
  const std::string tmp = kTmpPrefix + container;
  const std::string tmp_path = join(base, tmp);
  // A leftover of a kill before its rename: topo's own, and empty.
  ::unlinkat(base_fd, tmp.c_str(), AT_REMOVEDIR);
  if (::mkdirat(base_fd, tmp.c_str(), 0755) != 0) nl::throw_errno("create directory", tmp_path, errno);
  Fd marks;
  bool marked = false, renamed = false;
  try {
    dir = Fd(::openat(base_fd, tmp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) nl::throw_errno("open directory", tmp_path, errno);
    marks = open_marks(base_fd, base, true);
    const std::string marks_path = join(base, ownership::kEtcMarksDir);
    write_mark(marks.get(), container, identity_of(dir.get()), join(marks_path, container));
    marked = true;
    if (::renameat2(base_fd, tmp.c_str(), base_fd, container.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno != EEXIST) nl::throw_errno("rename directory", tmp_path, errno);
      ::unlinkat(base_fd, tmp.c_str(), AT_REMOVEDIR);
      dir.reset();
      return false;
    }
    renamed = true;
    if (::fsync(base_fd) != 0) nl::throw_errno("fsync directory", base, errno);
  } catch (...) {
    // Nothing of a failed make stays (a full /etc/netns once kept the marks
    // dir, or the marked directory): the directory, its mark, and the marks
    // dir when this was to be its only mark (rmdir leaves a non-empty one).
    dir.reset();
    ::unlinkat(base_fd, renamed ? container.c_str() : tmp.c_str(), AT_REMOVEDIR);
    if (marked) ::unlinkat(marks.get(), container.c_str(), 0);
    marks.reset();
    ::unlinkat(base_fd, ownership::kEtcMarksDir, AT_REMOVEDIR);
    throw;
  }
  return true;
}

// The container's directory goes when nothing but topo's own entries are
// left (a file someone else put there keeps it, and its mark, in place), then
// its mark, then the marks dir when that was the last mark. `dir` is closed.
void remove_dir_if_unused(int base_fd, const std::string& base, const std::string& container, Fd dir) {
  const std::string dir_path = join(base, container);
  auto names = entries(dir.get(), dir_path);
  for (const auto& n : names)
    if (n.rfind(kTmpPrefix, 0) != 0) return;
  for (const auto& n : names)
    if (::unlinkat(dir.get(), n.c_str(), 0) != 0 && errno != ENOENT)
      nl::throw_errno("remove file", join(dir_path, n), errno);
  dir.reset();
  if (::unlinkat(base_fd, container.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
    nl::throw_errno("remove directory", dir_path, errno);
  // The mark goes last: a crash before leaves a marked, empty directory.
  const std::string marks_path = join(base, ownership::kEtcMarksDir);
  Fd marks = open_marks(base_fd, base, false);
  if (!marks) return;
  if (::unlinkat(marks.get(), container.c_str(), 0) != 0 && errno != ENOENT)
    nl::throw_errno("remove file", join(marks_path, container), errno);
  marks.reset();
  // Gone with the last mark; another topo's new mark may have come meanwhile.
  if (::unlinkat(base_fd, ownership::kEtcMarksDir, AT_REMOVEDIR) != 0 && errno != ENOENT && errno != ENOTEMPTY &&
      errno != EEXIST)
    nl::throw_errno("remove directory", marks_path, errno);
}

}  // namespace

void write(const std::string& base, const std::string& container, const std::string& file,
           const std::string& content) {
  const std::string dir_path = join(base, container);
  const std::string path = join(dir_path, file);
  Fd b = open_base(base, true);
  Fd dir;
  bool made = false;
  switch (open_in(b.get(), container, dir)) {
    case DirOwner::Owned: break;
    case DirOwner::Foreign: refuse_foreign("write file", dir_path);
    case DirOwner::Absent:
      made = make_marked_dir(b.get(), base, container, dir);
      if (!made && open_in(b.get(), container, dir) != DirOwner::Owned) refuse_foreign("write file", dir_path);
      break;
  }
  try {
    write_atomic(dir.get(), file, content, path);
  } catch (...) {
    // A directory made for this file goes with the failed write (a full
    // /etc/netns once kept an empty, marked one): the write leaves nothing.
    // The first error is the one to report; a second one here would hide it.
    if (made) {
      try {
        remove_dir_if_unused(b.get(), base, container, std::move(dir));
      } catch (const std::exception&) {
      }
    }
    throw;
  }
}

void remove(const std::string& base, const std::string& container, const std::string& file) {
  const std::string dir_path = join(base, container);
  Fd b = open_base(base, false);
  if (!b) return;
  Fd dir;
  switch (open_in(b.get(), container, dir)) {
    case DirOwner::Absent: return;
    case DirOwner::Foreign: refuse_foreign("remove file", dir_path);
    case DirOwner::Owned: break;
  }
  if (::unlinkat(dir.get(), file.c_str(), 0) != 0 && errno != ENOENT)
    nl::throw_errno("remove file", join(dir_path, file), errno);
  remove_dir_if_unused(b.get(), base, container, std::move(dir));
}

}  // namespace topo::etcfiles
