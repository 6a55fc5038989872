#include "reconciler/kernel/netlink_kernel.hpp"

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/file_ops.hpp"
#include "reconciler/kernel/firewall/nft_firewall.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/kernel/sub_interface_ops.hpp"
#include "reconciler/kernel/sysctl_ops.hpp"
#include "reconciler/observer/files.hpp"
#include "reconciler/observer/observer.hpp"

namespace topo {
namespace {

class NetlinkKernel final : public Kernel {
 public:
  explicit NetlinkKernel(const KernelConfig& config)
      : sockets_(config.netns_dir), observer_(sockets_), etc_netns_dir_(config.etc_netns_dir),
        host_resolv_conf_path_(config.host_resolv_conf) {}

  Observed observe() override {
    Observed o = observer_.observe();
    observer::observe_files(etc_netns_dir_, o);
    firewall_.observe(o);
    return o;
  }

  void commit() override { firewall_.commit(); }

  std::vector<std::string> preflight(const std::vector<Resource>& desired) override {
    return kops::preflight_sub_interfaces(sockets_, desired);
  }

  std::string host_resolv_conf() override { return read_host_resolv_conf(host_resolv_conf_path_); }

  std::vector<Resource> observe_settings(const std::vector<Resource>& desired) override {
    std::vector<Resource> out;
    for (const auto& d : desired) {
      if (d.kind != Kind::Sysctl) continue;
      std::optional<std::string> v;
      try {
        v = kops::read_sysctl(sockets_, d.ns, d.name);
      } catch (const KernelError& e) {
        // The container's namespace is not made yet (ENOENT), or its entry
        // is no namespace (EINVAL: a placeholder a killed create left, or a
        // foreign file the plan reports as a conflict): nothing to read there.
        if (e.err() != ENOENT && e.err() != EINVAL) throw;
      }
      if (!v) continue;
      Resource r = d;
      r.attrs = {{attr::value, *v}};
      out.push_back(std::move(r));
    }
    return out;
  }

  void create(const Resource& d) override {
    switch (d.kind) {
      case Kind::Namespace: return kops::create_namespace(sockets_, d);
      case Kind::Link:
        if (d.attr(attr::type) == "bridge") return kops::create_bridge(sockets_, d);
        if (d.attr(attr::type) == "veth") return kops::create_veth(sockets_, d);
        if (d.attr(attr::type) == "vxlan") return kops::create_vxlan(sockets_, d);
        if (d.attr(attr::type) == "macvlan" || d.attr(attr::type) == "ipvlan")
          return kops::create_sub_interface(sockets_, d);
        return unsupported("create link", d);
      case Kind::Address: return kops::create_address(sockets_, d);
      case Kind::Fdb: return kops::create_fdb(sockets_, d);
      case Kind::Route: return kops::create_route(sockets_, d);
      case Kind::File: return kops::write_file(etc_netns_dir_, d);
      case Kind::Sysctl: return kops::write_sysctl(sockets_, d);
      case Kind::Firewall: return firewall_.create(d);
      default: break;
    }
    unsupported("create", d);
  }

  void update(const Resource& c, const Resource& d) override {
    switch (d.kind) {
      case Kind::Namespace: return kops::update_namespace(sockets_, c, d);
      case Kind::Link:
        if (d.attr(attr::type) == "bridge") return kops::update_bridge(sockets_, c, d);
        if (d.attr(attr::type) == "veth") return kops::update_veth(sockets_, c, d);
        if (d.attr(attr::type) == "vxlan") return kops::update_vxlan(sockets_, c, d);
        if (d.attr(attr::type) == "macvlan" || d.attr(attr::type) == "ipvlan")
          return kops::update_sub_interface(sockets_, c, d);
        return unsupported("update link", d);
      // An address has nothing to change in place: it is its identity.
      case Kind::Address: return unsupported("update address", d);
      case Kind::Route: return kops::update_route(sockets_, c, d);
      case Kind::File: return kops::write_file(etc_netns_dir_, d);
      case Kind::Sysctl: return kops::write_sysctl(sockets_, d);
      case Kind::Firewall: return firewall_.update(c, d);
      default: break;
    }
    unsupported("update", d);
  }

  void remove(const Resource& c) override {
    switch (c.kind) {
      case Kind::Namespace: return kops::remove_namespace(sockets_, c);
      case Kind::Link:
        if (c.attr(attr::type) == "veth") return kops::remove_veth(sockets_, c);
        return kops::remove_link(sockets_, c);
      case Kind::Address: return kops::remove_address(sockets_, c);
      case Kind::Route: return kops::remove_route(sockets_, c);
      case Kind::File: return kops::remove_file(etc_netns_dir_, c);
      case Kind::Fdb: return kops::remove_fdb(sockets_, c);
      // topo sets sysctls but does not own them: nothing to take away.
      case Kind::Sysctl: return;
      case Kind::Firewall: return firewall_.remove(c);
      default: break;
    }
    unsupported("remove", c);
  }

 private:
  [[noreturn]] static void unsupported(const std::string& op, const Resource& r) {
    nl::throw_errno(op, r.key(), EOPNOTSUPP, "not supported for type '" + r.attr(attr::type) + "'");
  }

  SocketPool sockets_;
  observer::Observer observer_;
  std::string etc_netns_dir_;
  std::string host_resolv_conf_path_;
  // topo's nftables tables: changes collect in memory, commit() writes them at once.
  firewall::NftFirewall firewall_;
};

}  // namespace

std::unique_ptr<Kernel> make_netlink_kernel(const KernelConfig& config) {
  return std::make_unique<NetlinkKernel>(config);
}

}  // namespace topo
