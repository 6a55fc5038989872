#include "reconciler/watcher/permissions.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace topo::watcher {

namespace fs = std::filesystem;

namespace {

void check(const fs::path& p, std::vector<std::string>& out) {
  struct stat st {};
  // stat, not lstat: a symlink's own mode is always 0777; what counts is its target.
  if (::stat(p.c_str(), &st) != 0) return;
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  out.push_back(p.string() + ": writable by group or others (mode " + mode +
                "); manifests must be root's to write: chmod go-w, or run with --allow-writable-manifests");
}

bool hidden(const fs::path& p) {
  auto name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

std::vector<std::string> writable_manifest_paths(const std::string& path) {
  std::vector<std::string> out;
  check(path, out);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return out;
  // The same walk as the loader's: hidden names are skipped, so are their trees.
  fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
  for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    bool dir = it->is_directory(ec);
    if (hidden(p)) {
      if (dir) it.disable_recursion_pending();
      continue;
    }
    auto ext = p.extension().string();
    if (dir || ext == ".yaml" || ext == ".yml") check(p, out);
  }
  return out;
}

}  // namespace topo::watcher
