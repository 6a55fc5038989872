#include "reconciler/pipeline/pipeline.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <optional>

#include "providers/overlay/overlay_settings.hpp"
#include "providers/provider.hpp"
#include "reconciler/process/beside.hpp"
#include "reconciler/ipam/pool_subnets.hpp"
#include "reconciler/ipam/veth_names.hpp"
#include "reconciler/loader/loader.hpp"
#include "reconciler/model/slice.hpp"
#include "reconciler/pipeline/bridge_port_checks.hpp"
#include "reconciler/pipeline/host_port_choice.hpp"
#include "reconciler/pipeline/macvlan_checks.hpp"
#include "reconciler/pipeline/node_routes.hpp"
#include "reconciler/pipeline/published_port_checks.hpp"
#include "reconciler/pipeline/vxlan_checks.hpp"
#include "reconciler/resources/stacks.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

Desired load_or_throw(const std::vector<std::string>& paths, const std::string& default_stack, bool cluster) {
  LoadOptions options;
  options.default_stack = default_stack;
  options.cluster = cluster;
  auto loaded = load_manifests(paths, options);
  if (!loaded.ok()) {
    std::vector<std::string> lines;
    for (const auto& e : loaded.errors) lines.push_back(e.str());
    lines.push_back(std::to_string(loaded.errors.size()) + " error(s); nothing was changed.");
    throw UserError(lines, std::move(loaded.errors));
  }
  return std::move(loaded.desired);
}

void refuse_empty_set(const Desired& whole, const std::vector<std::string>& paths) {
  if (!whole.hosts.empty() || !whole.networks.empty() || !whole.containers.empty() || !whole.attachments.empty())
    return;
  std::string where;
  for (const auto& p : paths) where += (where.empty() ? "" : ", ") + p;
  throw UserError({(where.empty() ? std::string("(no path)") : where) +
                       ": the manifests declare nothing (no networks, containers, attachments or hosts); "
                       "converging to them would remove everything topo manages. To remove it on purpose, "
                       "run `topo destroy`.",
                   "nothing was changed."});
}

Desired load_to_converge(const std::vector<std::string>& paths, const std::string& default_stack, bool cluster) {
  Desired d = load_or_throw(paths, default_stack, cluster);
  refuse_empty_set(d, paths);
  return d;
}

Desired select_node_or_throw(Desired whole, const std::string& node) {
  NodeSelection sel = select_node(std::move(whole), node);
  if (!sel.error.empty()) throw UserError({sel.error, "nothing was changed."});
  return std::move(sel.desired);
}

Desired load_for_node(const std::vector<std::string>& paths, const std::string& node,
                      const std::string& default_stack) {
  return select_node_or_throw(load_to_converge(paths, default_stack), node);
}

EarlyRead::EarlyRead(Kernel& kernel) : read_(process::run_beside([&kernel] { return kernel.observe(); })) {}

Observed EarlyRead::take() { return read_.get(); }

Prepared prepare(const PlanInputs& inputs, Kernel& kernel) {
  EarlyRead early(kernel);
  Desired desired = load_for_node(inputs.paths, inputs.node, inputs.stack);
  return prepare(std::move(desired), inputs.state_dir, kernel, {}, inputs.address_pools, &early);
}

Observed scope_observed(Observed observed, const std::set<std::string>& stacks) {
  inherit_namespace_stacks(observed.owned);
  scope_to_stacks(observed, stacks);
  return observed;
}

Observed observe_stacks(Kernel& kernel, const std::set<std::string>& stacks) {
  return scope_observed(kernel.observe(), stacks);
}

namespace {

std::optional<IpPrefix> cidr_of(const Resource& r) {
  const std::string text = r.attr(attr::address);
  return text.empty() ? std::nullopt : IpPrefix::parse(text);
}

// A subnet that another stack's addresses sit in would route one network's
// traffic to the other's bridge: a conflict naming that stack.
std::vector<std::string> subnet_conflicts(const Desired& desired, const Observed& observed) {
  std::vector<std::string> out;
  for (const Network& net : desired.networks)
    for (const SubnetSpec& s : net.subnets)
      for (const Resource& r : observed.held_resources) {
        if (r.kind != Kind::Address) continue;
        const std::optional<IpPrefix> held = cidr_of(r);
        if (!held) continue;
        const IpPrefix theirs{held->network(), held->len};
        if (!s.subnet.overlaps(theirs)) continue;
        out.push_back("conflict: " + s.where.str() + ": network " + net.name + " (stack " + net.stack + "): subnet " +
                      s.subnet.str() + " overlaps " + theirs.str() + " of " + r.origin + " in stack " + r.stack +
                      "; choose another subnet");
        break;
      }
  return out;
}

// Subnets of networks with a bridge on the host (bridge, overlay) are routed
// on the host: one over the host's own networks would take them from it (its
// uplink's gateway made a local address of a bridge). macvlan and ipvlan
// subnets are the parent's LAN.
std::vector<std::string> host_network_conflicts(const Desired& desired, const Observed& observed) {
  std::vector<std::string> out;
  // A route says more than the address that made it: named first.
  auto host_networks = observed.host_networks;
  std::stable_partition(host_networks.begin(), host_networks.end(),
                        [](const auto& h) { return h.what.rfind("route ", 0) == 0; });
  for (const Network& net : desired.networks) {
    const std::string bridge = net.driver_settings().host_bridge();
    if (bridge.empty()) continue;
    for (const SubnetSpec& s : net.subnets)
      for (const auto& host : host_networks) {
        // On a link with the bridge's own name: that clash is the conflict to report.
        if (host.dev == bridge) continue;
        const std::optional<IpPrefix> p = IpPrefix::parse(host.cidr);
        if (!p) continue;
        const IpPrefix theirs{p->network(), p->len};
        if (!s.subnet.overlaps(theirs)) continue;
        out.push_back(s.where.str() + ": network " + net.name + ": subnet " + s.subnet.str() +
                      (net.subnet_from_pools ? " (from the address pools, kept while the network exists)" : "") +
                      " overlaps the host's own " + host.what + "; choose a subnet the host does not use");
        break;
      }
  }
  return out;
}


std::vector<std::string> with_last_line(std::vector<std::string> lines, const std::string& last) {
  lines.push_back(last);
  return lines;
}

}  // namespace

std::set<std::string> stacks_of(const Desired& d) {
  std::set<std::string> out = d.stacks;
  for (const auto& n : d.networks) out.insert(n.stack);
  for (const auto& c : d.containers) out.insert(c.stack);
  for (const auto& a : d.attachments) out.insert(a.stack);
  return out;
}

namespace {

// manifest.md "Cluster mode (etcd)": a node's share of an overlay's subnet
// is leased from etcd; without it there is no share to plan with.
void refuse_cluster_keys(const Desired& desired) {
  if (desired.facts) return;
  std::vector<std::string> lines;
  for (const Network& net : desired.networks) {
    const auto* s = net.settings_as<OverlaySettings>();
    if (!s || !s->subnet_per_node) continue;
    lines.push_back(net.where.str() + ": network " + net.name +
                    ": \"subnet_per_node\" needs cluster mode: run topo with --etcd URL and --node NAME");
  }
  if (lines.empty()) return;
  lines.push_back("nothing was changed.");
  throw UserError(lines);
}

}  // namespace

Prepared prepare(Desired desired, const std::string& state_dir, Kernel& kernel, const std::set<std::string>& stacks,
                 const std::vector<AddressPool>& pools, EarlyRead* early) {
  refuse_cluster_keys(desired);
  Prepared p;
  p.desired = std::move(desired);
  const std::set<std::string> scope = stacks.empty() ? stacks_of(p.desired) : stacks;
  // The state first: while it loads, an early read may still be running.
  State state = StateStore(state_dir).load();
  {
    Observed seen = early ? early->take() : kernel.observe();
    claim_node_routes(seen, p.desired);
    p.observed = scope_observed(std::move(seen), scope);
  }
  // Before every check on subnets: from here on a network without one has
  // the one it keeps or gets.
  PoolResult pooled = assign_pool_subnets(p.desired, state.subnets, p.observed, pools);
  if (!pooled.errors.empty()) throw UserError(with_last_line(pooled.errors, "nothing was changed."));
  if (auto lines = host_network_conflicts(p.desired, p.observed); !lines.empty()) {
    lines.push_back(std::to_string(lines.size()) + " problem(s); nothing was changed.");
    throw UserError(lines);
  }
  if (auto lines = subnet_conflicts(p.desired, p.observed); !lines.empty()) {
    lines.push_back("nothing was changed.");
    throw UserError(lines);
  }
  auto ipam = allocate(p.desired, state.allocations, p.observed.owned);
  if (!ipam.errors.empty()) throw UserError(ipam.errors);
  p.allocations = std::move(ipam.allocations);
  const VethNameResult veth_names = assign_host_veth_names(p.desired, state.allocations, p.observed, p.allocations);
  if (!veth_names.errors.empty()) throw UserError(with_last_line(veth_names.errors, "nothing was changed."));
  if (auto errors = choose_host_ports(p.desired, state.allocations, p.observed, kernel, p.allocations); !errors.empty())
    throw UserError(with_last_line(errors, "nothing was changed."));
  std::set<std::string> foreign_host_links;
  for (const std::string& name : p.observed.host_links)
    if (p.observed.foreign.count(Resource{Kind::Link, "", name, {}, {}, {}}.key())) foreign_host_links.insert(name);
  auto rendered = render_all(p.desired, p.allocations, kernel.host_resolv_conf(), foreign_host_links);
  if (!rendered.errors.empty()) throw UserError(rendered.errors);
  p.resources = std::move(rendered.resources);
  std::vector<std::string> notes = pooled.notes;
  notes.insert(notes.end(), veth_names.notes.begin(), veth_names.notes.end());
  {
    // What the host holds that the kernel would refuse topo's objects for
    // only mid-apply: a bridge's last ports, a MAC on a macvlan parent, a
    // VXLAN id or UDP port.
    std::vector<std::string> conflicts = bridge_port_conflicts(p.resources, p.observed);
    for (auto& c : macvlan_mac_conflicts(p.resources, p.observed)) conflicts.push_back(std::move(c));
    for (auto& c : published_port_conflicts(p.resources, p.observed)) conflicts.push_back(std::move(c));
    if (wants_vxlan(p.resources)) {
      VxlanCheck vx = check_vxlans(p.resources, p.observed, kernel.udp_sockets());
      conflicts.insert(conflicts.end(), vx.conflicts.begin(), vx.conflicts.end());
      notes.insert(notes.end(), vx.notes.begin(), vx.notes.end());
    }
    for (auto& c : conflicts) c = "conflict: " + c;
    if (!conflicts.empty()) throw UserError(with_last_line(conflicts, "nothing was changed."));
  }
  {
    // Settings are read only where wanted; they belong to whoever wants them
    // (each comes back as a copy of the desired one, its stack included).
    std::vector<Resource> settings = kernel.observe_settings(p.resources);
    p.observed.owned.reserve(p.observed.owned.size() + settings.size());
    std::move(settings.begin(), settings.end(), std::back_inserter(p.observed.owned));
  }
  if (auto problems = kernel.preflight(p.resources); !problems.empty()) {
    problems.push_back(std::to_string(problems.size()) + " problem(s); nothing was changed.");
    throw UserError(problems);
  }
  p.diff = make_plan(p.resources, p.observed);
  p.diff.plan.allocations = p.allocations;
  p.diff.plan.subnets = std::move(pooled.chosen);
  p.diff.plan.stacks = scope;
  p.diff.plan.warnings = kernel.host_warnings(p.resources);
  p.diff.plan.notes = std::move(notes);
  if (!p.diff.conflicts.empty()) {
    std::vector<std::string> lines;
    for (const auto& c : p.diff.conflicts) lines.push_back("conflict: " + c);
    lines.push_back("nothing was changed.");
    throw UserError(lines);
  }
  return p;
}

}  // namespace topo
