#include "reconciler/kernel/file_ops.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/etc_files.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::kops {
namespace {

// ns and name come from plans (possibly a saved, edited plan file): they must
// be plain names and one of the files topo manages, never a path.
void check_names(const std::string& op, const Resource& r) {
  bool known = false;
  for (const char* f : ownership::kEtcFiles) known |= r.name == f;
  bool plain = !r.ns.empty() && r.ns != "." && r.ns != ".." && r.ns.find('/') == std::string::npos;
  if (!known || !plain) nl::throw_errno(op, r.key(), EINVAL, "not a file topo manages");
}

}  // namespace

void write_file(const std::string& etc_netns_dir, const Resource& desired) {
  check_names("write file", desired);
  etcfiles::write(etc_netns_dir, desired.ns, desired.name, desired.attr(attr::content));
}

void remove_file(const std::string& etc_netns_dir, const Resource& current) {
  check_names("remove file", current);
  etcfiles::remove(etc_netns_dir, current.ns, current.name);
}

}  // namespace topo::kops

namespace topo {

std::string read_host_resolv_conf(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return "";
    nl::throw_errno("read file", path, errno);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace topo
