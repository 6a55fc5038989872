#include "reconciler/fsutil/safe_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::fsutil {
namespace {

// A name nobody can guess, so a link planted at "the" temporary name has
// nothing to catch: O_EXCL would refuse it anyway, the random part makes
// that refusal a retry instead of a failure.
std::string temp_name(const std::string& name) {
  unsigned char bytes[8] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy (very early boot): the pid and a counter still differ per call.
    static unsigned counter = 0;
    unsigned long v = (static_cast<unsigned long>(::getpid()) << 20) ^ ++counter;
    std::memcpy(bytes, &v, std::min(sizeof v, sizeof bytes));
  }
  char hex[17];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
  return kTempPrefix + name + "." + hex;
}

bool is_symlink_at(int dir, const std::string& name) {
  struct stat st {};
  return ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

void write_all(int fd, const std::string& content, const std::string& path) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write file", path, errno);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void fail(const std::string& op, const std::string& path, int err, const std::string& why) {
  std::string text = std::strerror(err);
  if (!why.empty()) text = why;
  throw KernelError(op, path, err, text + permission_hint(err));
}

void refuse_symlink(const std::string& op, const std::string& path) {
  fail(op, path, ELOOP,
       "is a symbolic link; topo never writes or removes through one (it may have been planted to redirect "
       "topo): remove it, then run topo again");
}

Fd open_dir_at(int at, const std::string& name, const std::string& path, bool allow_absent) {
  Fd fd(::openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd) return fd;
  const int err = errno;
  if (err == ENOENT && allow_absent) return Fd();
  if (err == ELOOP || (err == ENOTDIR && is_symlink_at(at, name))) refuse_symlink("open directory", path);
  if (err == ENOTDIR) fail("open directory", path, err, "exists and is not a directory");
  fail("open directory", path, err);
}

Fd make_dir_at(int at, const std::string& name, mode_t mode, const std::string& path) {
  bool made = ::mkdirat(at, name.c_str(), mode) == 0;
  if (!made && errno != EEXIST) fail("create directory", path, errno);
  Fd fd = open_dir_at(at, name, path, false);
  // Only a directory made here gets its mode set: an existing one is checked
  // by whoever cares (the state dir), never silently changed.
  if (made && ::fchmod(fd.get(), mode) != 0) fail("chmod directory", path, errno);
  return fd;
}

std::pair<std::string, std::string> split(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const auto slash = p.rfind('/');
  if (slash == std::string::npos) return {".", p};
  return {slash == 0 ? "/" : p.substr(0, slash), p.substr(slash + 1)};
}

Fd open_parent(const std::string& path) {
  const std::string dir = split(path).first;
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) fail("open directory", dir, errno);
  return fd;
}

std::optional<std::string> read_file_at(int dir, const std::string& name, const std::string& path,
                                        std::size_t max_bytes) {
  // O_NONBLOCK: a FIFO planted here must not hang topo; it is refused below.
  Fd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) refuse_symlink("read file", path);
    fail("read file", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("read file", path, errno);
  if (!S_ISREG(st.st_mode)) fail("read file", path, EINVAL, "is not a regular file");
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read file", path, errno);
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) fail("read file", path, EFBIG, "is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return out;
}

StagedFile::StagedFile(int dir, std::string name, const std::string& content, mode_t mode, std::string path,
                       OnSymlink on_symlink, Durability durability)
    : dir_(::fcntl(dir, F_DUPFD_CLOEXEC, 0)),
      name_(std::move(name)),
      path_(std::move(path)),
      on_symlink_(on_symlink),
      durability_(durability) {
  if (!dir_) fail("open directory", path_, errno);
  // A target that may not be replaced is refused before anything is written.
  check_target();
  Fd fd;
  for (int attempt = 0; attempt < 16 && !fd; ++attempt) {
    std::string tmp = temp_name(name_);
    fd = Fd(::openat(dir_.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd) tmp_ = std::move(tmp);
    if (!fd && errno != EEXIST) fail("create file", path_ + " (temporary " + tmp + ")", errno);
  }
  if (!fd) fail("create file", path_ + " (temporary)", EEXIST);
  try {
    // fchmod: the umask must not decide who may read it.
    if (::fchmod(fd.get(), mode) != 0) fail("chmod file", path_, errno);
    write_all(fd.get(), content, path_);
    if (durability_ == Durability::Synced && ::fsync(fd.get()) != 0) fail("fsync file", path_, errno);
    if (::close(fd.release()) != 0) fail("close file", path_, errno);
  } catch (...) {
    discard();
    throw;
  }
}

StagedFile::StagedFile(StagedFile&& o) noexcept
    : dir_(std::move(o.dir_)), name_(std::move(o.name_)), path_(std::move(o.path_)),
      tmp_(std::exchange(o.tmp_, std::string())), on_symlink_(o.on_symlink_), durability_(o.durability_) {}

StagedFile::~StagedFile() { discard(); }

void StagedFile::discard() noexcept {
  if (!tmp_.empty() && dir_) ::unlinkat(dir_.get(), tmp_.c_str(), 0);
  tmp_.clear();
}

void StagedFile::check_target() const {
  // renameat replaces a symlink named `name` itself, never its target; a
  // refused one is left as it is, for the administrator to look at.
  if (on_symlink_ == OnSymlink::Refuse && is_symlink_at(dir_.get(), name_)) refuse_symlink("write file", path_);
  // A device, FIFO or directory there is not a file of topo's to replace
  // (`plan --out /dev/null` once replaced the device with a file).
  if (struct stat st {}; ::fstatat(dir_.get(), name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode) &&
                         !S_ISLNK(st.st_mode))
    fail("write file", path_, EEXIST, "exists and is not a regular file; topo replaces only regular files");
}

void StagedFile::commit() {
  if (tmp_.empty()) fail("rename file", path_, ENOENT, "nothing staged (committed already, or discarded)");
  try {
    // Again: the target may have changed since the staging.
    check_target();
    if (::renameat(dir_.get(), tmp_.c_str(), dir_.get(), name_.c_str()) != 0) fail("rename file", path_, errno);
  } catch (...) {
    discard();
    throw;
  }
  tmp_.clear();
  // The rename is durable only once the directory entry is.
  if (durability_ == Durability::Synced && ::fsync(dir_.get()) != 0) fail("fsync directory", path_, errno);
}

void write_atomic(int dir, const std::string& name, const std::string& content, mode_t mode,
                  const std::string& path, OnSymlink on_symlink, Durability durability) {
  StagedFile(dir, name, content, mode, path, on_symlink, durability).commit();
}

void remove_stale_temporaries(int dir, const std::string& name, const std::string& path) {
  const std::string prefix = kTempPrefix + name + ".";
  for (const std::string& n : entries(dir, path))
    if (n.rfind(prefix, 0) == 0) ::unlinkat(dir, n.c_str(), 0);  // unlinkat removes a link itself, never its target
}

void write_atomic_path(const std::string& path, const std::string& content, mode_t mode) {
  Fd dir = open_parent(path);
  write_atomic(dir.get(), split(path).second, content, mode, path, OnSymlink::Refuse);
}

void write_new_file_at(int dir, const std::string& name, const std::string& content, mode_t mode,
                       const std::string& path) {
  Fd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) {
    const int err = errno;
    if (err == EEXIST && is_symlink_at(dir, name)) refuse_symlink("create file", path);
    if (err == EEXIST) fail("create file", path, EEXIST, "exists already; topo does not overwrite it");
    fail("create file", path, err);
  }
  try {
    write_all(fd.get(), content, path);
    if (::fsync(fd.get()) != 0) fail("fsync file", path, errno);
    if (::close(fd.release()) != 0) fail("close file", path, errno);
  } catch (...) {
    ::unlinkat(dir, name.c_str(), 0);
    throw;
  }
}

bool remove_file_at(int dir, const std::string& name, const std::string& path) {
  if (is_symlink_at(dir, name)) refuse_symlink("remove file", path);
  if (::unlinkat(dir, name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  fail("remove file", path, errno);
}

std::vector<std::string> entries(int dir, const std::string& path) {
  std::vector<std::string> names;
  int dup = ::fcntl(dir, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) fail("list directory", path, errno);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(dup), ::closedir);
  if (!d) {
    const int err = errno;
    ::close(dup);
    fail("list directory", path, err);
  }
  // fdopendir shares the offset with `dir`: start from the beginning.
  ::rewinddir(d.get());
  while (const dirent* e = ::readdir(d.get())) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace topo::fsutil
