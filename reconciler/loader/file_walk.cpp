#include "reconciler/loader/file_walk.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

namespace topo::loader {
namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool has_manifest_extension(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

std::string symlink_target(const std::string& path) {
  std::array<char, 4096> buf{};
  const ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size() - 1);
  return n < 0 ? std::string("?") : std::string(buf.data(), static_cast<std::size_t>(n));
}

enum class PathKind { File, Directory, Unreadable };

// What a path is, by stat(2) and lstat(2) only: opening a FIFO to look would
// block, and a device may never end. A path that cannot be read as a regular
// file gets `why`; skipping it would drop its objects from the desired set,
// and a plan would then destroy them (issue 12).
PathKind classify(const std::string& path, std::string& why) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    struct stat lst {};
    if (err == ELOOP) {
      why = "is a symlink loop; a manifest must be a regular file";
    } else if (err == ENOENT && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      why = "is a dangling symlink (to " + symlink_target(path) + "); a manifest must be a regular file";
    } else if (err == ENOENT) {
      why = "no such file or directory";
    } else {
      why = std::string("cannot be read: ") + std::strerror(err);
    }
    return PathKind::Unreadable;
  }
  if (S_ISDIR(st.st_mode)) return PathKind::Directory;
  if (S_ISREG(st.st_mode)) return PathKind::File;
  const char* kind = S_ISFIFO(st.st_mode)                            ? "a FIFO"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISSOCK(st.st_mode)                          ? "a socket"
                                                                     : "not a regular file";
  why = std::string("is ") + kind + ", not a regular file; a manifest must be a regular file";
  return PathKind::Unreadable;
}

void walk_directory(const fs::path& dir, std::vector<std::string>& out, Diagnostics& diag) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) {
    diag.error({dir.string(), 0, 0}, "cannot read directory: " + ec.message());
    return;
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      diag.error({dir.string(), 0, 0}, "cannot read directory: " + ec.message());
      return;
    }
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // A real directory is walked (whatever its name); symlinks to directories
    // are not followed, as before.
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    if (!has_manifest_extension(p)) continue;
    std::string why;
    const PathKind kind = classify(p.string(), why);
    if (kind == PathKind::File) {
      found.push_back(p.string());
    } else {
      diag.error({p.string(), 0, 0}, kind == PathKind::Directory
                                         ? "is a symlink to a directory, which is not followed; name the "
                                           "directory itself or rename the link"
                                         : why);
    }
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string> collect_manifest_files(const std::vector<std::string>& paths, Diagnostics& diag) {
  std::vector<std::string> candidates;
  for (const std::string& path : paths) {
    std::string why;
    switch (classify(path, why)) {
      case PathKind::Directory:
        walk_directory(path, candidates, diag);
        break;
      case PathKind::File:
        candidates.push_back(path);
        break;
      case PathKind::Unreadable:
        diag.error({path, 0, 0}, why);
        break;
    }
  }
  // The same file named twice would report every object in it as a duplicate.
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const std::string& f : candidates) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(f, ec);
    if (seen.insert(ec ? f : canonical.string()).second) files.push_back(f);
  }
  return files;
}

}  // namespace topo::loader
