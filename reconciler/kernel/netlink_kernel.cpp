#include "reconciler/kernel/netlink_kernel.hpp"

#include <chrono>
#include <future>
#include <optional>
#include <set>
#include <thread>

#include <netlink/route/link.h>

#include "reconciler/process/beside.hpp"
#include "reconciler/kernel/adopted_netns.hpp"
#include "reconciler/kernel/deferred_removals.hpp"
#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/file_ops.hpp"
#include "reconciler/kernel/firewall/foreign_forward.hpp"
#include "reconciler/kernel/firewall/nft_build.hpp"
#include "reconciler/kernel/firewall/nft_firewall.hpp"
#include "reconciler/kernel/firewall/nft_io.hpp"
#include "reconciler/kernel/link_create.hpp"
#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/kernel/netns_holders.hpp"
#include "reconciler/kernel/ops.hpp"
#include "reconciler/kernel/read/files.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/kernel/read/observer.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/kernel/sysctl_ops.hpp"
#include "reconciler/kernel/udp_sockets.hpp"
#include "reconciler/resources/firewall_rules.hpp"
#include "reconciler/resources/mode_attrs.hpp"

namespace topo {
namespace {

// What the side read of observe() found (files, firewall: owned and foreign
// objects only) after the namespaces' objects, in the order a read on one
// thread gave.
void merge_side_read(Observed& o, Observed side) {
  o.owned.reserve(o.owned.size() + side.owned.size());
  std::move(side.owned.begin(), side.owned.end(), std::back_inserter(o.owned));
  o.foreign.merge(side.foreign);
}

class NetlinkKernel final : public Kernel {
 public:
  explicit NetlinkKernel(const KernelConfig& config)
      : sockets_(config.netns_dir), observer_(sockets_), etc_netns_dir_(config.etc_netns_dir),
        host_resolv_conf_path_(config.host_resolv_conf), netns_dir_(config.netns_dir) {}

  Observed observe() override {
    settle();
    // The per-container files (a dozen system calls each) and the firewall
    // are read on a thread of their own while the namespaces are dumped:
    // neither depends on the other, and the dumps end on one thread.
    Observed side_found;
    std::future<void> side = process::run_beside([&] {
      observer::observe_files(etc_netns_dir_, side_found);
      firewall_.observe(side_found);
    });
    Observed o;
    try {
      o = observer_.observe();
    } catch (...) {
      if (side.valid()) side.wait();  // it uses this object
      throw;
    }
    if (side.valid()) side.get();
    merge_side_read(o, std::move(side_found));
    return o;
  }

  Observed observe_focus(const Focus& focus) override {
    settle();
    Observed o = observer_.observe_focus(focus);
    observer::observe_files(etc_netns_dir_, o, &focus.namespaces);
    return o;
  }

  void commit() override {
    settle();
    firewall_.commit();
  }

  std::vector<std::string> preflight(const std::vector<Resource>& desired) override {
    std::vector<std::string> problems = preflight_links(desired);
    for (auto& p : kops::preflight_adopted_namespaces(desired, netns_dir_)) problems.push_back(std::move(p));
    // A rule that cannot be built (a label over nftables' userdata limit, from
    // long stack and container names) would fail the commit after every other
    // change of the apply: refused now instead.
    for (const Resource& r : desired) {
      if (r.kind != Kind::Firewall) continue;
      try {
        for (const auto& spec : firewall::rules_of(r)) firewall::build_rule(spec);
      } catch (const std::exception& e) {
        problems.push_back("firewall " + r.name + " (for " + r.origin + "): " + e.what() +
                           "; use shorter stack, network or container names");
      }
    }
    return problems;
  }

  std::vector<std::string> host_warnings(const std::vector<Resource>& desired) override {
    try {
      firewall::NftSocket s;
      return firewall::forward_blocker_warnings(firewall::read_foreign_forward_chains(s), desired);
    } catch (const KernelError& e) {
      // Reading is only to warn: a refusal must not stop the plan.
      return {std::string("cannot read the host's other firewall tables to check that they let topo's traffic "
                          "through: ") + e.what()};
    }
  }

  std::string host_resolv_conf() override { return read_host_resolv_conf(host_resolv_conf_path_); }

  std::vector<UdpSocket> udp_sockets() override { return kops::read_udp_sockets(); }
  std::vector<UdpSocket> tcp_listeners() override { return kops::read_tcp_listeners(); }
  std::optional<std::pair<int, int>> ephemeral_port_range() override { return kops::read_ephemeral_port_range(); }

  std::vector<Resource> observe_settings(const std::vector<Resource>& desired) override {
    std::vector<Resource> out;
    // Per-interface IPv6 settings come from one netlink dump per namespace
    // (/proc/sys would cost a lookup that grows with the number of
    // namespaces); nullopt: that namespace could not be dumped, so /proc.
    std::map<std::string, std::optional<observer::Ipv6Conf>> v6conf;
    // Each setting's key is read once (there are thousands).
    std::vector<std::optional<kops::Ipv6DevconfKey>> keys(desired.size());
    // The host's dump holds every host end of every container: worth it
    // for a full read, not for the few settings of a focused pass, which
    // /proc/sys serves faster there.
    size_t host_keys = 0, settings = 0;
    for (size_t i = 0; i < desired.size(); ++i) {
      if (desired[i].kind != Kind::Sysctl) continue;
      ++settings;
      keys[i] = kops::ipv6_devconf_key(desired[i].name);
      if (keys[i] && desired[i].ns.empty()) ++host_keys;
    }
    out.reserve(settings);
    // A namespace's settings come one after another (the resources are in
    // key order): its entry is looked up once for them, not once each.
    auto last = v6conf.end();
    auto from_dump = [&](const Resource& d, const std::optional<kops::Ipv6DevconfKey>& k)
        -> std::optional<std::optional<std::string>> {
      if (!k) return std::nullopt;
      if (last != v6conf.end() && last->first == d.ns) return value_in(last->second, *k);
      auto [it, fresh] = v6conf.try_emplace(d.ns);
      last = it;
      if (fresh) {
        // The full read just before dumped them with the links: free.
        it->second = observer_.take_ipv6_conf(d.ns);
        if (!it->second && !(d.ns.empty() && host_keys <= 64)) {
          try {
            it->second = observer::dump_ipv6_conf(sockets_.get(d.ns), d.ns);
          } catch (const KernelError& e) {
            if (e.err() == ENOENT || e.err() == EINVAL) it->second.emplace();  // no namespace yet: nothing there
          }
        }
      }
      return value_in(it->second, *k);
    };
    for (size_t i = 0; i < desired.size(); ++i) {
      const Resource& d = desired[i];
      if (d.kind != Kind::Sysctl) continue;
      std::optional<std::string> v;
      if (auto dumped = from_dump(d, keys[i])) {
        v = *dumped;
      } else {
        try {
          v = kops::read_sysctl(sockets_, d.ns, d.name);
          // Without IPv6 in the kernel, an IPv6 setting is as good as set
          // (write_sysctl skips it), so plans stay empty there.
          if (!v && kops::ipv6_absent(sockets_, d.ns, d.name)) v = d.attr(attr::value);
        } catch (const KernelError& e) {
          // The container's namespace is not made yet (ENOENT), or its entry
          // is no namespace (EINVAL: a placeholder a killed create left, or a
          // foreign file the plan reports as a conflict): nothing to read there.
          if (e.err() != ENOENT && e.err() != EINVAL) throw;
        }
      }
      if (!v) continue;
      Resource r = d;  // what it is tied to (attr::link) is the desired's
      r.attrs[attr::value] = *v;
      out.push_back(std::move(r));
    }
    return out;
  }


  // A setting's value in a namespace's dumped IPv6 settings; an empty value
  // (nothing observed) when the interface is not there (yet); nothing at
  // all (read it from /proc instead) when the namespace was not dumped or
  // the kernel does not report that setting.
  static std::optional<std::optional<std::string>> value_in(const std::optional<observer::Ipv6Conf>& conf,
                                                           const kops::Ipv6DevconfKey& k) {
    if (!conf) return std::nullopt;
    auto dev = conf->find(k.ifname);
    if (dev == conf->end()) return std::optional<std::string>();  // no such interface (yet)
    if (static_cast<size_t>(k.index) >= dev->second.size()) return std::nullopt;
    return std::optional<std::string>(std::to_string(dev->second[static_cast<size_t>(k.index)]));
  }

  void create(const Resource& d) override {
    settle();
    observer_.forget_ipv6_conf();
    switch (d.kind) {
      case Kind::Namespace: return kops::create_namespace(sockets_, d);
      case Kind::Link: return kops::create_link(sockets_, link_kind("create link", d), d);
      case Kind::Address: return kops::create_address(sockets_, d);
      case Kind::Fdb: return kops::create_fdb(sockets_, d);
      case Kind::Neighbour: return kops::create_neighbour(sockets_, d);
      case Kind::Route: return kops::create_route(sockets_, d);
      case Kind::File: return kops::write_file(etc_netns_dir_, d);
      case Kind::Sysctl: return kops::write_sysctl(sockets_, d);
      case Kind::Firewall: return firewall_.create(d);
      default: break;
    }
    unsupported("create", d);
  }

  void update(const Resource& c, const Resource& d) override {
    settle();
    observer_.forget_ipv6_conf();
    switch (d.kind) {
      case Kind::Namespace: return kops::update_namespace(sockets_, c, d);
      case Kind::Link:
        return link_kind("update link", d).update(sockets_, c.attrs.empty() ? nullptr : &c, d, "update link");
      // An address has nothing to change in place: it is its identity.
      case Kind::Address: return unsupported("update address", d);
      case Kind::Route: return kops::update_route(sockets_, c, d);
      case Kind::Neighbour: return kops::update_neighbour(sockets_, c, d);
      case Kind::File: return kops::write_file(etc_netns_dir_, d);
      case Kind::Sysctl: return kops::write_sysctl(sockets_, d);
      case Kind::Firewall: return firewall_.update(c, d);
      default: break;
    }
    unsupported("update", d);
  }

  // Links, addresses and routes inside a namespace wait (deferred_removals.hpp).
  void remove(const Resource& c) override {
    observer_.forget_ipv6_conf();
    if (deferred_.defer(c)) return;
    remove_now(c);
  }

 private:
  // What each desired link's kind needs of the kernel and the host, in the
  // order of the links.
  std::vector<std::string> preflight_links(const std::vector<Resource>& desired) {
    kops::Preflight out;
    for (const Resource& r : desired)
      if (r.kind == Kind::Link && r.ns.empty()) out.made_on_host.insert(r.name);
    for (const Resource& r : desired) {
      if (r.kind != Kind::Link) continue;
      const kops::LinkKind* kind = kops::find_link_kind(r.attr(attr::type));
      if (kind && kind->preflight) kind->preflight(sockets_, r, out);
    }
    return std::move(out.problems);
  }

  static const kops::LinkKind& link_kind(const std::string& op, const Resource& r) {
    const kops::LinkKind* kind = kops::find_link_kind(r.attr(attr::type));
    if (!kind) unsupported(op, r);
    return *kind;
  }

  void remove_now(const Resource& c) {
    switch (c.kind) {
      case Kind::Namespace: return remove_namespace(c);
      // Whatever its kind, even one topo no longer makes: its mark decides.
      case Kind::Link: return kops::remove_link(sockets_, c);
      case Kind::Address: return kops::remove_address(sockets_, c);
      case Kind::Route: return kops::remove_route(sockets_, c);
      case Kind::File: return kops::remove_file(etc_netns_dir_, c);
      case Kind::Fdb: return kops::remove_fdb(sockets_, c);
      case Kind::Neighbour: return kops::remove_neighbour(sockets_, c);
      // topo sets sysctls but does not own them: nothing to take away.
      case Kind::Sysctl: return;
      case Kind::Firewall: return firewall_.remove(c);
      default: break;
    }
    unsupported("remove", c);
  }

  // A namespace of topo's own takes the removals queued in it along; a
  // bind-mount entry (host, container:, adopted) does not, so they are done first.
  void remove_namespace(const Resource& c) {
    if (!c.attr(attr::mode).empty()) {
      flush();
      return kops::remove_namespace(sockets_, c);
    }
    const std::vector<Resource> taken = deferred_.take(c.name);
    if (held_elsewhere(c.name)) {
      // Something else keeps the namespace alive after the unmount: its
      // links must not stay on their networks (netns_holders.hpp).
      for (const auto& r : taken)
        if (r.kind == Kind::Link) remove_now(r);
    }
    try {
      kops::remove_namespace(sockets_, c);
    } catch (...) {
      // Still there (not ours, or the unmount failed): what it would have
      // taken along is removed for real, as asked.
      for (const auto& r : taken) remove_now(r);
      throw;
    }
    for (auto& name : veth_host_ends(taken)) vanishing_.insert(std::move(name));
  }

  void flush() {
    for (const auto& r : deferred_.flush()) remove_now(r);
  }

  // Read once per run of calls (reset by settle): a destroy of a thousand
  // namespaces scans /proc once, not a thousand times.
  bool held_elsewhere(const std::string& name) {
    if (!held_) held_ = netns::held_namespaces(sockets_.netns_dir());
    const unsigned long ino = netns::inode(sockets_.netns_dir() + "/" + name);
    return ino != 0 && held_->count(ino);
  }

  // Queued removals done, and the host ends of veths in removed namespaces
  // gone: the kernel tears namespaces down asynchronously, and what comes
  // next (a create reusing a name, the caller reading the kernel) must not
  // see them.
  void settle() {
    flush();
    held_.reset();
    sockets_.close_released();
    if (vanishing_.empty()) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      nl_cache* raw = nullptr;
      if (rtnl_link_alloc_cache(sockets_.get(""), AF_UNSPEC, &raw) < 0) break;
      nl::Cache links(raw);
      std::erase_if(vanishing_, [&](const std::string& name) {
        rtnl_link* l = rtnl_link_get_by_name(links.get(), name.c_str());
        if (!l) return true;
        rtnl_link_put(l);
        return false;
      });
      if (vanishing_.empty()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    vanishing_.clear();  // not gone in 10 s: not worth failing the run over
  }

  [[noreturn]] static void unsupported(const std::string& op, const Resource& r) {
    nl::throw_errno(op, r.key(), EOPNOTSUPP, "not supported for type '" + r.attr(attr::type) + "'");
  }

  SocketPool sockets_;
  DeferredRemovals deferred_;
  std::set<std::string> vanishing_;  // host ends of veths whose namespace was removed
  std::optional<std::set<unsigned long>> held_;  // namespaces held by processes or other mounts
  observer::Observer observer_;
  std::string etc_netns_dir_;
  std::string host_resolv_conf_path_;
  std::string netns_dir_;  // for the preflight of adopted namespaces
  // topo's nftables tables: changes collect in memory, commit() writes them at once.
  firewall::NftFirewall firewall_;
};

}  // namespace

std::unique_ptr<Kernel> make_netlink_kernel(const KernelConfig& config) {
  return std::make_unique<NetlinkKernel>(config);
}

}  // namespace topo
