#include "reconciler/kernel/shared_netns.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::shared_ns {
namespace {

constexpr const char* kHostNs = "/proc/thread-self/ns/net";
constexpr const char* kMarksName = ".topo";

std::string mark_path(const std::string& dir, const std::string& name) { return marks_dir(dir) + "/" + name; }

// What read_marks never takes for a mark: temporaries (a leading dot) and
// the `<name>.tmp` files of older versions. A killed write may leave them.
bool is_leftover(const std::string& name) {
  return name.find('.') == 0 || (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0);
}

// The netns dir itself is the administrator's choice and is followed; every
// entry in it (the marks dir, the marks, the namespace entries) is reached
// relative to this descriptor without following a symlink.
Fd open_netns_dir(const std::string& dir, bool allow_absent) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd && !(errno == ENOENT && allow_absent)) nl::throw_errno("open directory", dir, errno);
  return fd;
}

// <dir>/.topo: a symlink there is an error naming it (it once made apply
// delete every file of the directory it pointed to). Empty when absent.
Fd open_marks(int dir_fd, const std::string& dir) {
  return fsutil::open_dir_at(dir_fd, kMarksName, marks_dir(dir), /*allow_absent=*/true);
}

// The entry <dir>/<name> is a bind of `source`: the same nsfs inode, and a
// network namespace. A symlink as the entry is never followed: not ours.
bool same_namespace(int dir_fd, const std::string& name, const std::string& source) {
  Fd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat a {}, b {};
  if (!fd || ::fstat(fd.get(), &a) != 0 || ::stat(source.c_str(), &b) != 0) return false;
  if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) return false;
  return netns::is_netns(fd.get());
}

void write_mark(const std::string& dir, const std::string& name, const std::string& mode, const std::string& stack) {
  Fd d = open_netns_dir(dir, false);
  Fd marks = fsutil::make_dir_at(d.get(), kMarksName, 0755, marks_dir(dir));
  fsutil::write_atomic(marks.get(), name, mode + "\n" + stack + "\n", 0644, mark_path(dir, name));
}

void drop_mark(const std::string& dir, const std::string& name) {
  Fd d = open_netns_dir(dir, true);
  if (!d) return;
  Fd marks = open_marks(d.get(), dir);
  if (!marks) return;
  fsutil::remove_file_at(marks.get(), name, mark_path(dir, name));
  // The marks dir goes with its last mark, with what a killed write left
  // (only temporaries: names starting with a dot are never marks).
  auto left = fsutil::entries(marks.get(), marks_dir(dir));
  for (const auto& n : left)
    if (!is_leftover(n)) return;
  for (const auto& n : left) ::unlinkat(marks.get(), n.c_str(), 0);
  marks.reset();
  ::unlinkat(d.get(), kMarksName, AT_REMOVEDIR);  // ENOTEMPTY: a mark came meanwhile
}

}  // namespace

std::string marks_dir(const std::string& dir) { return dir + "/" + kMarksName; }

namespace {

// name -> the whole text of its mark.
std::map<std::string, std::string> read_mark_texts(const std::string& dir) {
  std::map<std::string, std::string> out;
  Fd d = open_netns_dir(dir, true);
  if (!d) return out;
  Fd marks = open_marks(d.get(), dir);
  if (!marks) return out;
  for (const std::string& name : fsutil::entries(marks.get(), marks_dir(dir))) {
    if (is_leftover(name)) continue;
    // A mark that is a symlink (or not a file) is an error naming it: it
    // would make topo unmount and unlink an entry on someone else's word.
    std::optional<std::string> text = fsutil::read_file_at(marks.get(), name, mark_path(dir, name), 4096);
    if (text) out[name] = *text;  // else removed meanwhile
  }
  return out;
}

// Line `index` (0-based) of a mark's text, "" when it has none.
std::string line_of(const std::string& text, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) {
    start = text.find('\n', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  return text.substr(start, text.find('\n', start) - start);
}

}  // namespace

std::map<std::string, std::string> read_marks(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& [name, text] : read_mark_texts(dir))
    if (std::string mode = line_of(text, 0); !mode.empty()) out[name] = mode;
  return out;
}

std::map<std::string, std::string> read_mark_stacks(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& [name, text] : read_mark_texts(dir)) {
    if (line_of(text, 0).empty()) continue;
    const std::string stack = line_of(text, 1);
    out[name] = stack.empty() ? kDefaultStack : stack;
  }
  return out;
}

std::string source_of(const std::string& dir, const std::string& mode) {
  if (mode == ns_mode::host) return kHostNs;
  if (ns_mode::is_joiner(mode)) return dir + "/" + mode.substr(std::string(ns_mode::container_prefix).size());
  if (ns_mode::is_adopted(mode)) return mode.substr(std::string(ns_mode::adopted_prefix).size());
  return "";
}

std::map<std::string, std::string> observe(const std::string& dir) {
  std::map<std::string, std::string> out;
  auto marks = read_marks(dir);
  if (marks.empty()) return out;
  Fd d = open_netns_dir(dir, false);
  for (auto& [name, mode] : marks) {
    const std::string source = source_of(dir, mode);
    const bool ok = !source.empty() && same_namespace(d.get(), name, source);
    out[name] = ok ? mode : mode + ns_mode::stale_suffix;
  }
  return out;
}

void bind(const std::string& dir, const std::string& name, const std::string& mode, const std::string& stack) {
  const std::string object = "netns " + name + " (" + mode + ")";
  const std::string source = source_of(dir, mode);
  if (source.empty()) nl::throw_errno("bind netns", object, EINVAL, "unknown network mode");
  // Refuses anything that is not a network namespace (ENOENT, EINVAL).
  netns::open(source);
  netns::ensure_shared_dir(dir);
  Fd d = open_netns_dir(dir, false);
  // O_EXCL|O_NOFOLLOW: whatever is there already (a symlink too) is EEXIST.
  Fd file(::openat(d.get(), name.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0));
  if (!file) nl::throw_errno("bind netns", object, errno);
  // Marked before it is mounted: an unmarked entry would be foreign and block
  // a retry; a marked one that is not mounted is reported stale and remade.
  try {
    write_mark(dir, name, mode, stack);
  } catch (...) {
    ::unlinkat(d.get(), name.c_str(), 0);
    throw;
  }
  // Mounted onto the file just made, through its descriptor: the path could
  // have been swapped for a symlink meanwhile, the descriptor cannot.
  if (::mount(source.c_str(), netns::fd_path(file.get()).c_str(), "none", MS_BIND, nullptr) != 0) {
    const int err = errno;
    file.reset();
    ::unlinkat(d.get(), name.c_str(), 0);
    drop_mark(dir, name);
    nl::throw_errno("bind netns", object, err);
  }
}

void unbind(const std::string& dir, const std::string& name) {
  // Only the entry goes: the namespace itself lives on wherever it is held.
  netns::remove(dir, name);
  drop_mark(dir, name);
}

}  // namespace topo::shared_ns
