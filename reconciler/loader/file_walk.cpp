#include "reconciler/loader/file_walk.hpp"

#include <algorithm>
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
    if (it->is_regular_file(ec) && has_manifest_extension(p)) found.push_back(p.string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string> collect_manifest_files(const std::vector<std::string>& paths, Diagnostics& diag) {
  std::vector<std::string> candidates;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      diag.error({path, 0, 0}, "no such file or directory");
    } else if (fs::is_directory(st)) {
      walk_directory(path, candidates, diag);
    } else {
      candidates.push_back(path);
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
