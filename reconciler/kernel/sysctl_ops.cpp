#include "reconciler/kernel/sysctl_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <linux/ipv6.h>

#include <algorithm>
#include <map>
#include <cerrno>
#include <memory>
#include <string_view>
#include <vector>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/netns_switch.hpp"

namespace topo::kops {

namespace {

std::string object(const std::string& ns, const std::string& key) {
  return "sysctl " + (ns.empty() ? key : ns + ":" + key);
}

// Opens the sysctl file inside the namespace, relative to the namespace's
// /proc/sys/net (socket_pool.hpp); the fd keeps pointing there after the
// thread has switched back.
Fd open_in(SocketPool& s, const std::string& ns, const std::string& key, int flags) {
  const std::string path = sysctl_path(key);
  // sysfs shows the links of the namespace it was mounted in, not the
  // thread's: a bridge port's setting is only ever one of the host's.
  if (path.rfind("/sys/", 0) == 0) {
    if (!ns.empty())
      nl::throw_errno("open", object(ns, key), EINVAL, "bridge port settings exist in the host namespace only");
    return Fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW));
  }
  // "/proc/sys/net/<first>[/<rest>]"
  const std::string below = path.substr(std::string_view("/proc/sys/net/").size());
  const std::string first = below.substr(0, below.find('/'));
  const std::string rest = first.size() < below.size() ? below.substr(first.size() + 1) : ".";
  // Twice at most: a kept directory of a namespace deleted and made again
  // under the same name (its inode number reused) fails every lookup with
  // ENOENT; opened afresh, the setting is looked up in the namespace there
  // now (socket_pool.hpp, drop_sysctl_dir).
  for (int attempt = 0;; ++attempt) {
    const int dir = s.sysctl_dir(ns, first);
    if (dir < 0) return Fd();  // errno from the open (ENOENT: no such tree)
    std::unique_ptr<ScopedNetns> inside;
    Fd target;
    if (!ns.empty()) {
      target = netns::open(s.path(ns));
      inside = std::make_unique<ScopedNetns>(target.get(), s.origin_fd(), "netns " + ns);
    }
    Fd fd(::openat(dir, rest.c_str(), flags | O_CLOEXEC | O_NOFOLLOW));
    if (fd || errno != ENOENT || ns.empty() || attempt > 0) return fd;
    inside.reset();
    s.drop_sysctl_dir(ns, first);
  }
}

}  // namespace

std::string sysctl_path(const std::string& key) {
  // Only the per-namespace net tree, and only plain names: no way out of it.
  // As with sysctl(8), a '/' in a key stands for a '.' inside one name
  // (net.ipv4.conf.br/1.route_localnet is the bridge "br.1").
  auto refuse = [&] {
    nl::throw_errno("check", "sysctl " + key, EINVAL,
                    "only net.* keys (and sys.class.net.<port>.brport.<flag>) of plain names are allowed");
  };
  // A bridge port's flag, which only sysfs has among files:
  // sys.class.net.<port>.brport.<flag> is /sys/class/net/<port>/brport/<flag>
  // (hairpin_mode: firewall_provider.cpp).
  const bool brport = key.rfind("sys.class.net.", 0) == 0;
  if (key.rfind("net.", 0) != 0 && !brport) refuse();
  std::string path = brport ? "" : "/proc/sys";
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t dot = key.find('.', start);
    if (dot == std::string::npos) dot = key.size();
    std::string part = key.substr(start, dot - start);
    std::replace(part.begin(), part.end(), '/', '.');
    if (part.empty() || part == "." || part == "..") refuse();
    path += "/" + part;
    start = dot + 1;
    parts.push_back(part);
  }
  if (brport && (parts.size() != 6 || parts[4] != "brport")) refuse();
  return path;
}

std::optional<Ipv6DevconfKey> ipv6_devconf_key(const std::string& key) {
  // Settings whose /proc/sys text is the plain number the kernel reports.
  static const std::map<std::string, int> kIndex = {
      {"forwarding", DEVCONF_FORWARDING},     {"accept_ra", DEVCONF_ACCEPT_RA},
      {"accept_redirects", DEVCONF_ACCEPT_REDIRECTS}, {"autoconf", DEVCONF_AUTOCONF},
      {"disable_ipv6", DEVCONF_DISABLE_IPV6}, {"accept_dad", DEVCONF_ACCEPT_DAD},
      {"proxy_ndp", DEVCONF_PROXY_NDP},       {"use_tempaddr", DEVCONF_USE_TEMPADDR},
      {"accept_ra_defrtr", DEVCONF_ACCEPT_RA_DEFRTR}, {"accept_ra_pinfo", DEVCONF_ACCEPT_RA_PINFO},
  };
  constexpr std::string_view kPrefix = "net.ipv6.conf.";
  if (key.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  const std::string rest = key.substr(kPrefix.size());
  const auto dot = rest.rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  std::string ifname = rest.substr(0, dot);
  if (ifname.find('.') != std::string::npos || ifname == "all" || ifname == "default") return std::nullopt;
  auto it = kIndex.find(rest.substr(dot + 1));
  if (it == kIndex.end()) return std::nullopt;
  std::replace(ifname.begin(), ifname.end(), '/', '.');
  return Ipv6DevconfKey{ifname, it->second};
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

bool ipv6_absent(SocketPool& s, const std::string& ns, const std::string& key) {
  if (key.rfind("net.ipv6.", 0) != 0) return false;
  Fd fd = open_in(s, ns, "net.ipv6", O_RDONLY | O_DIRECTORY);
  return !fd && errno == ENOENT;
}

void write_sysctl(SocketPool& s, const Resource& d) {
  const std::string value = d.attr(attr::value);
  Fd fd = open_in(s, d.ns, d.name, O_WRONLY);
  if (!fd && errno == ENOENT && ipv6_absent(s, d.ns, d.name)) return;
  if (!fd) nl::throw_errno("write", object(d.ns, d.name), errno, errno == ENOENT ? "no such setting in this kernel" : "");
  std::string line = value + "\n";
  if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    nl::throw_errno("write", object(d.ns, d.name) + " = " + value, errno);
}

}  // namespace topo::kops
