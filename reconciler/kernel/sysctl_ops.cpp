#include "reconciler/kernel/sysctl_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/netns_switch.hpp"

namespace topo::kops {

namespace {

std::string object(const std::string& ns, const std::string& key) {
  return "sysctl " + (ns.empty() ? key : ns + ":" + key);
}

// Opens the sysctl file inside the namespace; the fd keeps pointing there
// after the thread has switched back.
Fd open_in(SocketPool& s, const std::string& ns, const std::string& key, int flags) {
  std::string path = sysctl_path(key);
  std::unique_ptr<ScopedNetns> inside;
  Fd target;
  if (!ns.empty()) {
    target = netns::open(s.path(ns));
    inside = std::make_unique<ScopedNetns>(target.get(), s.origin_fd(), "netns " + ns);
  }
  return Fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW));
}

}  // namespace

std::string sysctl_path(const std::string& key) {
  // Only the per-namespace net tree, and only plain names: no way out of it.
  bool ok = key.rfind("net.", 0) == 0 && key.find("..") == std::string::npos && key.find('/') == std::string::npos &&
            key.back() != '.';
  if (!ok) nl::throw_errno("check", "sysctl " + key, EINVAL, "only net.* keys of plain names are allowed");
  std::string path = "/proc/sys/" + key;
  for (size_t i = 10; i < path.size(); ++i)
    if (path[i] == '.') path[i] = '/';
  return path;
}

std::optional<std::string> read_sysctl(SocketPool& s, const std::string& ns, const std::string& key) {
  Fd fd = open_in(s, ns, key, O_RDONLY);
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    nl::throw_errno("read", object(ns, key), errno);
  }
  std::string value;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) value.append(buf, static_cast<size_t>(n));
  if (n < 0) nl::throw_errno("read", object(ns, key), errno);
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

void write_sysctl(SocketPool& s, const Resource& d) {
  const std::string value = d.attr(attr::value);
  Fd fd = open_in(s, d.ns, d.name, O_WRONLY);
  if (!fd) nl::throw_errno("write", object(d.ns, d.name), errno, errno == ENOENT ? "no such setting in this kernel" : "");
  std::string line = value + "\n";
  if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    nl::throw_errno("write", object(d.ns, d.name) + " = " + value, errno);
}

}  // namespace topo::kops
