#include "reconciler/kernel/netns_holders.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "reconciler/fsutil/fd.hpp"

namespace topo::netns {
namespace {

void add_processes(std::set<unsigned long>& out) {
  DIR* proc = ::opendir("/proc");
  if (!proc) return;
  const std::string self = std::to_string(::getpid());
  while (const dirent* e = ::readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0])) || self == e->d_name) continue;
    struct stat st{};
    // stat follows the magic link to the namespace's nsfs inode.
    if (::stat(("/proc/" + std::string(e->d_name) + "/ns/net").c_str(), &st) == 0) out.insert(st.st_ino);
  }
  ::closedir(proc);
}

// mountinfo: "id parent major:minor root mountpoint ... - fstype source opts";
// an nsfs mount's root is "net:[INODE]".
void add_mounts(std::set<unsigned long>& out, const std::string& netns_dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, devno, root, mountpoint;
    if (!(f >> id >> parent >> devno >> root >> mountpoint)) continue;
    if (root.rfind("net:[", 0) != 0) continue;
    if (mountpoint.rfind(netns_dir + "/", 0) == 0) continue;  // topo's own entries
    try {
      out.insert(std::stoul(root.substr(5)));
    } catch (...) {
    }
  }
}

}  // namespace

std::set<unsigned long> held_namespaces(const std::string& netns_dir) {
  std::set<unsigned long> out;
  add_processes(out);
  add_mounts(out, netns_dir);
  return out;
}

}  // namespace topo::netns
