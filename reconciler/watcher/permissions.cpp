#include "reconciler/watcher/permissions.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <system_error>

namespace topo::watcher {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBypass = "run with --allow-writable-manifests to accept it anyway";

class Checker {
 public:
  explicit Checker(const TrustRule& rule) : rule_(rule) {}

  // stat, not lstat: a symlink's own mode is always 0777 and its owner
  // cannot redirect it; what counts is its target (and the directory that
  // holds the link, checked as part of the walk or the ancestors).
  void check(const fs::path& p, bool above) {
    if (!seen_.insert(p.string()).second) return;
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return;
    std::string problem = trust_problem(p.string(), st.st_uid, st.st_mode, rule_.uid, above);
    if (!problem.empty()) out_.push_back(problem);
  }

  // Every directory above p, up to the rule's anchor (or /).
  void check_ancestors(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec).lexically_normal();
    if (ec) return;
    const fs::path anchor = fs::path(rule_.ancestors_up_to).lexically_normal();
    for (fs::path dir = abs.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      check(dir, /*above=*/true);
      if (dir == anchor || dir == dir.root_path()) break;
    }
  }

  // p as given and as its symlinks resolve.
  void check_chain(const fs::path& p) {
    check_ancestors(p);
    std::error_code ec;
    fs::path real = fs::canonical(p, ec);
    if (!ec && real != fs::absolute(p, ec).lexically_normal()) {
      check(real, false);
      check_ancestors(real);
    }
  }

  std::vector<std::string> take() { return std::move(out_); }

 private:
  const TrustRule& rule_;
  std::set<std::string> seen_;
  std::vector<std::string> out_;
};

bool hidden(const fs::path& p) {
  auto name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

std::string trust_problem(const std::string& path, unsigned owner, unsigned mode, unsigned uid, bool above) {
  const std::string what = path + (above ? " (a directory above the manifests)" : "");
  if (owner != 0 && owner != uid)
    return what + ": owned by uid " + std::to_string(owner) + ", neither root nor the controller's user (uid " +
           std::to_string(uid) + "); whoever owns it can rewire this host: chown it to root, or " + kBypass;
  if ((mode & (S_IWGRP | S_IWOTH)) == 0) return "";
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", mode & 07777);
  if (above)
    return what + ": writable by group or others (mode " + octal +
           (mode & S_ISVTX ? "; the sticky bit does not stop others from creating names in it" : "") +
           "); keep manifests under directories only root can write, or " + kBypass;
  return what + ": writable by group or others (mode " + octal +
         "); manifests must be root's to write: chmod go-w, or run with --allow-writable-manifests";
}

std::vector<std::string> untrusted_manifest_paths(const std::string& path, const TrustRule& rule) {
  Checker c(rule);
  c.check(path, false);
  c.check_chain(path);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return c.take();
  // The same walk as the loader's: hidden names are skipped, so are their
  // trees; directory symlinks are not descended into.
  fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
  for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code e2;
    bool dir = it->is_directory(e2);
    if (hidden(p)) {
      if (dir) it.disable_recursion_pending();
      continue;
    }
    auto ext = p.extension().string();
    if (!dir && ext != ".yaml" && ext != ".yml") continue;
    c.check(p, false);
    if (it->is_symlink(e2)) c.check_chain(p);
  }
  return c.take();
}

}  // namespace topo::watcher
