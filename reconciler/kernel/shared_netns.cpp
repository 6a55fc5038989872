#include "reconciler/kernel/shared_netns.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/fd.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo::shared_ns {
namespace {

constexpr const char* kHostNs = "/proc/thread-self/ns/net";

std::string mark_path(const std::string& dir, const std::string& name) { return marks_dir(dir) + "/" + name; }

// (device, inode) of what a path shows: for a mounted entry or a /proc
// ns link, the namespace itself. Nothing when it cannot be stat'ed.
bool identity(const std::string& path, struct stat& st) { return ::stat(path.c_str(), &st) == 0; }

bool same_namespace(const std::string& entry, const std::string& source) {
  struct stat a {}, b {};
  if (!identity(entry, a) || !identity(source, b)) return false;
  if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) return false;
  Fd fd(::open(entry.c_str(), O_RDONLY | O_CLOEXEC));
  return fd && netns::is_netns(fd.get());
}

void write_mark(const std::string& dir, const std::string& name, const std::string& mode, const std::string& stack) {
  const std::string path = mark_path(dir, name), tmp = path + ".tmp";
  if (::mkdir(marks_dir(dir).c_str(), 0755) != 0 && errno != EEXIST)
    nl::throw_errno("create netns mark", marks_dir(dir), errno);
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << mode << "\n" << stack << "\n") || !out.flush()) nl::throw_errno("write netns mark", tmp, EIO);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) nl::throw_errno("write netns mark", path, errno);
}

void drop_mark(const std::string& dir, const std::string& name) {
  if (::unlink(mark_path(dir, name).c_str()) != 0 && errno != ENOENT)
    nl::throw_errno("remove netns mark", mark_path(dir, name), errno);
  ::rmdir(marks_dir(dir).c_str());  // only succeeds when it was the last one
}

}  // namespace

std::string marks_dir(const std::string& dir) { return dir + "/.topo"; }

std::map<std::string, std::string> read_marks(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const std::string& name : netns::list(marks_dir(dir))) {
    if (name.find('.') == 0 || name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) continue;
    std::ifstream in(mark_path(dir, name));
    std::string mode;
    if (in && std::getline(in, mode) && !mode.empty()) out[name] = mode;
  }
  return out;
}

std::map<std::string, std::string> read_mark_stacks(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& [name, mode] : read_marks(dir)) {
    std::ifstream in(mark_path(dir, name));
    std::string first, stack;
    out[name] = in && std::getline(in, first) && std::getline(in, stack) && !stack.empty() ? stack : kDefaultStack;
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
  for (auto& [name, mode] : read_marks(dir)) {
    const std::string source = source_of(dir, mode);
    const bool ok = !source.empty() && same_namespace(dir + "/" + name, source);
    out[name] = ok ? mode : mode + ns_mode::stale_suffix;
  }
  return out;
}

void bind(const std::string& dir, const std::string& name, const std::string& mode, const std::string& stack) {
  const std::string path = dir + "/" + name;
  const std::string object = "netns " + name + " (" + mode + ")";
  const std::string source = source_of(dir, mode);
  if (source.empty()) nl::throw_errno("bind netns", object, EINVAL, "unknown network mode");
  // Refuses anything that is not a network namespace (ENOENT, EINVAL).
  netns::open(source);
  netns::ensure_shared_dir(dir);
  {
    Fd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
    if (!file) nl::throw_errno("bind netns", object, errno);
  }
  // Marked before it is mounted: an unmarked entry would be foreign and block
  // a retry; a marked one that is not mounted is reported stale and remade.
  try {
    write_mark(dir, name, mode, stack);
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
  if (::mount(source.c_str(), path.c_str(), "none", MS_BIND, nullptr) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
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
