#include "reconciler/state/state_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "reconciler/fsutil/safe_fs.hpp"

namespace topo {

std::string state_dir_problem(const std::string& dir, unsigned owner, unsigned mode, unsigned uid) {
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", mode & 07777);
  if (owner != uid)
    return "state dir " + dir + " is owned by uid " + std::to_string(owner) + ", not by the user topo runs as (uid " +
           std::to_string(uid) + "); whoever owns it can change what topo remembers. Nothing was changed: chown it " +
           "to uid " + std::to_string(uid) + " (or use another --state-dir)";
  if ((mode & 077) != 0)
    return "state dir " + dir + " is accessible by group or others (mode " + octal +
           "); it must be 0700. Nothing was changed: chmod 700 " + dir;
  return "";
}

Fd open_state_dir(const std::string& dir, bool create) {
  const auto [parent, name] = fsutil::split(dir);
  Fd up = fsutil::open_parent(dir);
  Fd fd = create ? fsutil::make_dir_at(up.get(), name, 0700, dir) : fsutil::open_dir_at(up.get(), name, dir, true);
  if (!fd) return fd;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fsutil::fail("stat directory", dir, errno);
  std::string problem = state_dir_problem(dir, st.st_uid, st.st_mode, ::geteuid());
  if (!problem.empty()) throw std::runtime_error(problem);
  return fd;
}

}  // namespace topo
