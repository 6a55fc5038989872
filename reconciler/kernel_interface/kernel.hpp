#pragma once
// The narrow interface between the pure core and the kernel. The executor and
// the CLI see only this; tests use a fake, the product uses the libnl one.
#include <cerrno>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

// A kernel refusal: the operation, the object and the errno text.
class KernelError : public std::runtime_error {
 public:
  // err is a positive errno; detail is its text (or the library's).
  KernelError(std::string op, std::string object, int err, const std::string& detail)
      : std::runtime_error(op + " " + object + ": " + detail),
        op_(std::move(op)), object_(std::move(object)), err_(err) {}
  const std::string& op() const { return op_; }
  const std::string& object() const { return object_; }
  int err() const { return err_; }
  // EBUSY, EAGAIN, EINTR (an interrupted dump): worth trying again.
  bool retryable() const { return err_ == EBUSY || err_ == EAGAIN || err_ == EINTR; }

 private:
  std::string op_, object_;
  int err_;
};

// EPERM and EACCES from the kernel almost always mean that topo runs without
// the privileges it needs: said once, here, next to the error every kernel
// and file refusal becomes. Empty for any other errno.
inline std::string permission_hint(int err) {
  if (err != EPERM && err != EACCES) return "";
  return "; topo needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN): run it as root or with sudo";
}

// A UDP socket of the host namespace, as /proc/net/udp and udp6 list it.
// The kernel's own sockets (those of VXLAN devices that are up) are listed
// too, without anything to tell them from a process's.
struct UdpSocket {
  int family = 4;     // 4 or 6
  std::string local;  // bound address, e.g. "0.0.0.0", "::", "10.0.0.1"
  unsigned port = 0;  // bound port, host order
  unsigned uid = 0;
  unsigned long inode = 0;  // of the socket; `ss -p` or /proc/*/fd name its process
};

// What a focused pass looks at (pipeline/focused_pass.hpp): some container
// namespaces and some links of the host namespace, not the whole host.
struct Focus {
  std::set<std::string> namespaces;  // netns entries: their mode, objects and files
  std::set<std::string> host_links;  // host links by name (veth host ends)
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Everything topo owns, in the host namespace and in every managed
  // namespace: one dump per object type per namespace. Plus foreign names.
  virtual Observed observe() = 0;
  // At least what observe() would say about the focus: the namespaces in
  // it (entry, links, addresses, routes, files) and the host links it
  // names with what decoding them needs (their masters). It may say more;
  // the caller keeps only the focus. Never reads the firewall. The default
  // reads everything, which is right but not cheap.
  virtual Observed observe_focus(const Focus& focus) {
    (void)focus;
    return observe();
  }
  // Create a resource with all its attributes. EEXIST is an error unless the
  // existing object is exactly what was intended.
  virtual void create(const Resource& desired) = 0;
  // Change in place the attributes that differ between the two.
  virtual void update(const Resource& current, const Resource& desired) = 0;
  // Remove a resource. ENOENT is fine: it is already gone, as intended.
  virtual void remove(const Resource& current) = 0;
  // Current values of the settings the desired state names (sysctls). topo
  // sets them but does not own them, so they are read only when wanted and
  // never removed. A setting the kernel does not have is left out. Each is
  // a copy of the desired one (stack, origin, what it is tied to) with the
  // value read.
  virtual std::vector<Resource> observe_settings(const std::vector<Resource>& desired) {
    (void)desired;
    return {};
  }
  // What the desired resources need from this kernel and host that can be
  // checked before anything changes: a link kind the kernel lacks (ipvlan),
  // a missing parent interface, an MTU above the parent's. One message per
  // problem; empty when all is well.
  virtual std::vector<std::string> preflight(const std::vector<Resource>& desired) {
    (void)desired;
    return {};
  }
  // What on this host, not topo's to change, will defeat the desired state
  // (another firewall's forward chain that drops): one warning per problem,
  // with what to do. Never an error: the plan can still be carried out.
  virtual std::vector<std::string> host_warnings(const std::vector<Resource>& desired) {
    (void)desired;
    return {};
  }
  // The UDP sockets bound in the host namespace, read when an overlay needs
  // its VXLAN port: one a process holds makes the device fail to come up.
  virtual std::vector<UdpSocket> udp_sockets() { return {}; }
  // The TCP sockets listening in the host namespace (/proc/net/tcp and tcp6,
  // the same fields), and its ephemeral port range
  // (net.ipv4.ip_local_port_range; nothing when unreadable): read when a
  // published port leaves its host port to topo, which chooses one there
  // that no program has bound (ipam/host_ports.hpp).
  virtual std::vector<UdpSocket> tcp_listeners() { return {}; }
  virtual std::optional<std::pair<int, int>> ephemeral_port_range() { return std::nullopt; }
  // Text of the host's resolv.conf, which containers without dns settings
  // get a copy of (read here so the providers stay pure). "" when absent.
  virtual std::string host_resolv_conf() { return ""; }
  // End of a run of create/update/remove calls: state that can only be
  // changed as a whole (topo's nftables tables) is written here, in one
  // transaction. Called by the executor after the last action and again
  // after a rollback; a throw means nothing of that state was changed.
  // Removals the kernel object held back (see kernel/deferred_removals.hpp)
  // are done by then, and what removed namespaces take along is gone.
  virtual void commit() {}
};

}  // namespace topo
