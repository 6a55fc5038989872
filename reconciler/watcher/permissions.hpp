#pragma once
// The controller's trust rule, like sshd's StrictModes: whoever can change
// the manifests can rewire the host, so `topo watch` applies them only when
// nobody but root and the controller's own user could have written them.
// Every path the rule covers must be owned by root or by that user and not
// be writable by group or others (a sticky world-writable directory such as
// /tmp is refused too: anyone may create a name there that the manifests'
// path goes through):
//   - PATH itself, followed through symlinks (git-sync swaps one);
//   - every directory above PATH, up to /, both along PATH as given and
//     along the path its symlinks resolve to;
//   - everything below PATH that the loader would read (the same walk:
//     hidden names skipped, *.yaml and *.yml files, the directories on the
//     way), and for an entry that is a symlink, its target and every
//     directory above that.
#include <string>
#include <vector>

namespace topo::watcher {

struct TrustRule {
  unsigned uid = 0;  // the controller's user; root is always trusted
  // The directories above PATH are checked up to this one (inclusive).
  // "/" in production; tests point it at their temporary root.
  std::string ancestors_up_to = "/";
};

// One line per offending path, naming it and saying what to do; empty when
// the manifests may be trusted (or cannot be read: the loader reports that).
std::vector<std::string> untrusted_manifest_paths(const std::string& path, const TrustRule& rule);

// The problem of one path with this owner and mode ("" when none). `above`:
// a directory above the manifests rather than one of them. Pure, for tests.
std::string trust_problem(const std::string& path, unsigned owner, unsigned mode, unsigned uid, bool above);

}  // namespace topo::watcher
