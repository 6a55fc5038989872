#include <algorithm>
#include <future>
#include <iterator>
#include <map>

#include "providers/bridge/bridge_provider.hpp"
#include "providers/files/files_provider.hpp"
#include "providers/firewall/firewall_provider.hpp"
#include "providers/namespace/namespace_provider.hpp"
#include "providers/overlay/overlay_members.hpp"
#include "providers/overlay/overlay_provider.hpp"
#include "providers/p2p/p2p_provider.hpp"
#include "providers/provider.hpp"
#include "providers/sub_interface/sub_interface_provider.hpp"
#include "reconciler/process/beside.hpp"

namespace topo {

// The one list of drivers: a new one is a line here (listed, not
// self-registered: a static library drops files nothing names). The order is
// the one messages list drivers in ("bridge and overlay networks only").
const std::vector<const Provider*>& all_providers() {
  static const BridgeProvider bridge;
  static const SubInterfaceProvider macvlan(Driver::Macvlan), ipvlan(Driver::Ipvlan);
  static const OverlayProvider overlay;
  static const P2pProvider p2p;
  static const std::vector<const Provider*> all{&bridge, &macvlan, &ipvlan, &overlay, &p2p};
  return all;
}

const Provider* provider_for(Driver d) {
  for (const Provider* p : all_providers())
    if (p->driver() == d) return p;
  return nullptr;
}

std::vector<ForeignKey> foreign_keys(Driver d) {
  const Provider* mine = provider_for(d);
  const std::vector<std::string> own = mine ? mine->keys() : std::vector<std::string>();
  std::map<std::string, std::vector<const Provider*>> others;
  for (const Provider* p : all_providers())
    for (const std::string& key : p->keys())
      if (std::find(own.begin(), own.end(), key) == own.end()) others[key].push_back(p);
  std::vector<ForeignKey> out;
  for (auto& [key, drivers] : others) out.push_back({key, std::move(drivers)});
  return out;
}

const Provider* provider_named(const std::string& name) { return provider_for(Driver(name)); }

namespace {

// Everything rendered since `from` belongs to `stack`.
void tag(std::vector<Resource>& rs, std::size_t from, const std::string& stack) {
  for (std::size_t i = from; i < rs.size(); ++i) rs[i].stack = stack;
}

}  // namespace

RenderResult render_all(const Desired& desired, const Allocations& allocations, const std::string& host_resolv_conf,
                        const std::set<std::string>& foreign_host_links) {
  RenderResult result;
  auto& out = result.resources;
  // Overlay members on other nodes count as allocated (statically) too, so
  // forwarding entries and hosts files can name them; only this node's own
  // allocations go back to the state dir.
  const Allocations everyone = with_remote_members(desired, allocations);
  RenderContext ctx{desired, everyone, host_resolv_conf, foreign_host_links};
  // The per-container files (hosts, resolv.conf) are half of the rendering
  // and need nothing the rest renders: made on a thread of their own
  // meanwhile, with a context of their own (its lazy index is not shared),
  // and put where they always were, after the attachments.
  std::vector<Resource> files;
  const RenderContext files_ctx = ctx;
  // After what it uses: destroyed (and so waited for) first.
  std::future<void> files_done = process::run_beside([&] {
    for (const auto& c : desired.containers) {
      const std::size_t from = files.size();
      render_container_files(c, files_ctx, files);
      tag(files, from, c.stack);
    }
  });
  for (const auto& c : desired.containers) {
    const std::size_t from = out.size();
    render_container_namespace(c, out);
    tag(out, from, c.stack);
  }
  for (const auto& net : desired.networks) {
    const Provider* p = provider_for(net.driver);
    if (!p) {
      result.errors.push_back(net.where.str() + ": network " + net.name + ": driver " + to_string(net.driver) +
                              " is not supported by this version of topo yet");
      continue;
    }
    const std::size_t from = out.size();
    p->render_network(net, ctx, out);
    tag(out, from, net.stack);
  }
  for (const auto& att : desired.attachments) {
    const Network* net = desired.network(att.network);
    const Provider* p = net ? provider_for(net->driver) : nullptr;
    const std::size_t from = out.size();
    if (p) p->render_attachment(att, *net, ctx, out);
    tag(out, from, att.stack);
  }
  // Intents carry their own stacks; the tables and switches are shared.
  std::vector<Resource> firewall;
  render_firewall(desired, allocations, firewall);
  files_done.get();
  out.reserve(out.size() + files.size() + firewall.size());
  std::move(files.begin(), files.end(), std::back_inserter(out));
  std::move(firewall.begin(), firewall.end(), std::back_inserter(out));
  return result;
}

}  // namespace topo
