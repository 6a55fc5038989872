#include "reconciler/graph/graph_model.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "reconciler/view/view_json.hpp"

namespace topo::graph {
namespace {

using view::to_json;

std::string network_id(const std::string& name) { return "network:" + name; }
std::string container_id(const std::string& name) { return "container:" + name; }
// The host namespace of a single-host topology is "host"; a declared host is "host:NAME".
std::string host_id(const std::string& node) { return node.empty() ? "host" : "host:" + node; }
std::string interface_id(const std::string& node, const std::string& ifname) {
  return "interface:" + (node.empty() ? "" : node + "/") + ifname;
}
std::string host_cluster_id(const std::string& node) { return "cluster:host:" + node; }
std::string network_cluster_id(const std::string& name) { return "cluster:network:" + name; }

std::string option(const view::NetworkView& n, const std::string& key) {
  for (const auto& [k, v] : n.options)
    if (k == key) return v;
  return "";
}

std::string with_prefix(const std::string& address, int prefix) {
  return prefix > 0 ? address + "/" + std::to_string(prefix) : address;
}

std::string port_text(const view::PortView& p) {
  return (p.host_ip.empty() ? "0.0.0.0" : p.host_ip) + ":" + (p.host_port > 0 ? std::to_string(p.host_port) : "?") +
         " -> " + std::to_string(p.container_port) + "/" + p.protocol;
}

// Elements drawn from the manifests: not named by the comparison means none
// of their objects could differ (a joiner has no objects of its own).
LiveState drawn(const LiveStates* live, const std::string& origin) {
  if (!live) return LiveState::None;
  LiveState s = live->of(origin);
  return s == LiveState::None ? LiveState::Ok : s;
}

// By name; the view's own lookups are left to its other readers.
template <typename T>
const T* named(const std::vector<T>& items, const std::string& name) {
  for (const T& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

class Builder {
 public:
  Builder(const view::TopologyView& v, const GraphOptions& o) : v_(v), o_(o) {
    grouping_ = o.grouping;
    if (grouping_ == Grouping::Auto) grouping_ = v.hosts.empty() ? Grouping::Network : Grouping::Host;
    if (grouping_ == Grouping::Host && v.hosts.empty()) grouping_ = Grouping::None;  // one host: nothing to group by
    g_.node = o.node;
    g_.live = o.live != nullptr;
  }

  Graph build() {
    choose_shown();
    add_hosts();
    add_networks();
    add_containers();
    add_parents();
    add_tunnels();
    add_extras();
    drop_dangling_edges();
    return std::move(g_);
  }

 private:
  bool shown(const view::ContainerView& c) const { return o_.node.empty() || c.node == o_.node; }

  void choose_shown() {
    for (const auto& c : v_.containers)
      if (shown(c)) {
        containers_.insert(c.name);
        for (const auto& m : c.interfaces) networks_.insert(m.network);
        if (!c.ports.empty() || c.mode == "host") hosts_.insert(c.node);
      }
    for (const auto& n : v_.networks) {
      if (o_.node.empty()) networks_.insert(n.name);
      if (!networks_.count(n.name)) continue;
      for (const auto& m : n.members)
        if (!m.node.empty() && containers_.count(m.container)) hosts_.insert(m.node);
    }
    // Every declared host when none is picked; else the picked one and those
    // its overlays reach.
    for (const auto& h : v_.hosts)
      if (o_.node.empty() || h.name == o_.node) hosts_.insert(h.name);
    for (const std::string& net : networks_) {
      const view::NetworkView* n = named(v_.networks, net);
      if (!n || n->driver != "overlay" || o_.node.empty()) continue;
      std::set<std::string> nodes = nodes_of(*n);
      if (nodes.count(o_.node)) hosts_.insert(nodes.begin(), nodes.end());
    }
  }

  static std::set<std::string> nodes_of(const view::NetworkView& n) {
    std::set<std::string> out;
    for (const auto& m : n.members)
      if (!m.node.empty()) out.insert(m.node);
    return out;
  }

  const view::HostView* host(const std::string& name) const { return named(v_.hosts, name); }

  void add_hosts() {
    for (const std::string& name : hosts_) {
      Node n{host_id(name), NodeKind::Host, {name.empty() ? "host" : "host " + name}, "", {}, LiveState::None};
      if (const view::HostView* h = host(name)) {
        n.label.push_back(h->address);
        n.fields = to_json(*h);
      } else {
        n.fields["name"] = name.empty() ? Fields(nullptr) : Fields(name);  // the host namespace of one host
      }
      if (grouping_ == Grouping::Host && !name.empty()) {
        g_.clusters.push_back({host_cluster_id(name), ClusterKind::Host, "host " + name});
        n.cluster = host_cluster_id(name);
      }
      g_.nodes.push_back(std::move(n));
    }
  }

  // Host grouping: a network only one host has sits in that host's cluster;
  // one that spans hosts (an overlay) between them.
  std::string network_cluster(const view::NetworkView& net) const {
    if (grouping_ == Grouping::Network) return network_cluster_id(net.name);
    if (grouping_ != Grouping::Host || net.driver == "overlay") return "";
    std::set<std::string> nodes;
    for (const auto& m : net.members)
      if (containers_.count(m.container)) nodes.insert(m.node);
    return nodes.size() == 1 && !nodes.begin()->empty() ? host_cluster_id(*nodes.begin()) : "";
  }

  void add_networks() {
    for (const auto& net : v_.networks) {
      if (!networks_.count(net.name)) continue;
      Node n{network_id(net.name), NodeKind::Network, {net.name}, network_cluster(net), {},
             drawn(o_.live, "network/" + net.name)};
      std::string kind = net.driver;
      if (net.driver == "overlay") kind += " vni " + option(net, "vni");
      if (!net.host_bridge.empty()) kind += " " + net.host_bridge;
      if (!net.parent.empty()) kind += " on " + net.parent;
      n.label.push_back(kind);
      for (const auto& sub : net.subnets) n.label.push_back(sub.gateway.empty() ? sub.subnet : sub.subnet + " gw " + sub.gateway);
      if (net.internal) n.label.push_back("internal");
      n.fields = to_json(net);
      n.fields.erase("members");  // the attachment edges
      if (n.cluster.rfind("cluster:network:", 0) == 0)
        g_.clusters.push_back({n.cluster, ClusterKind::Network, "network " + net.name});
      g_.nodes.push_back(std::move(n));
    }
  }

  // Network grouping: the network a container's default route leaves
  // through (else its first one); a joiner goes where its target goes.
  std::string home_network(const view::ContainerView& c, int depth = 0) const {
    if (c.mode == "container" && depth < 64) {
      const view::ContainerView* target = named(v_.containers, c.mode_target);
      return target ? home_network(*target, depth + 1) : "";
    }
    for (const auto& m : c.interfaces)
      if (m.default_route) return m.network;
    return c.interfaces.empty() ? "" : c.interfaces.front().network;
  }

  std::string container_cluster(const view::ContainerView& c) const {
    if (grouping_ == Grouping::Host) return c.node.empty() ? "" : host_cluster_id(c.node);
    if (grouping_ != Grouping::Network) return "";
    const std::string home = home_network(c);
    return home.empty() || !networks_.count(home) ? "" : network_cluster_id(home);
  }

  void add_containers() {
    for (const auto& c : v_.containers) {
      if (!containers_.count(c.name)) continue;
      const std::string id = container_id(c.name);
      const LiveState state = drawn(o_.live, "container/" + c.name);
      Node n{id, NodeKind::Container, {c.name, c.mode == "container" ? "container:" + c.mode_target : c.mode},
             container_cluster(c), {}, state};
      n.fields = to_json(c);
      // Edges of their own; the rest of a container is `topo inspect container`'s.
      for (const char* key : {"interfaces", "ports", "links", "routes", "dns", "dns_search", "hosts"}) n.fields.erase(key);
      g_.nodes.push_back(std::move(n));
      for (const auto& m : c.interfaces) add_attachment(c, m);
      if (c.mode == "container" && !c.mode_target.empty())
        g_.edges.push_back({id, container_id(c.mode_target), EdgeKind::Join, {"joins netns"},
                            {{"container", c.name}, {"target", c.mode_target}}, state});
      if (c.mode == "host")
        g_.edges.push_back({id, host_id(c.node), EdgeKind::HostMode, {"network_mode host"},
                            {{"container", c.name}, {"node", c.node}}, state});
      for (const auto& [target, alias] : c.links)
        g_.edges.push_back({id, container_id(target), EdgeKind::Link, {alias.empty() ? "link" : "link as " + alias},
                            {{"container", c.name}, {"target", target}, {"alias", alias}}, state});
      for (const auto& p : c.ports) {
        Fields fields = {{"container", c.name}};
        fields.update(to_json(p));
        g_.edges.push_back({host_id(c.node), id, EdgeKind::Port, {port_text(p)}, std::move(fields),
                            drawn(o_.live, port_origin(c.name, p.host_ip, p.host_port, p.protocol))});
      }
    }
  }

  void add_attachment(const view::ContainerView& c, const view::MemberView& m) {
    Edge e{container_id(c.name), network_id(m.network), EdgeKind::Attachment, {m.interface}, {},
           drawn(o_.live, "attachment/" + c.name + "/" + m.interface)};
    if (!m.ipv4.empty()) e.label.push_back(with_prefix(m.ipv4, m.ipv4_prefix));
    if (!m.ipv6.empty()) e.label.push_back(with_prefix(m.ipv6, m.ipv6_prefix));
    e.fields = to_json(m);
    g_.edges.push_back(std::move(e));
  }

  // A parent interface per host the network has members on: on each of them
  // it is that host's own interface.
  void add_parents() {
    std::set<std::string> made;
    for (const auto& net : v_.networks) {
      if (!networks_.count(net.name) || net.parent.empty()) continue;
      std::set<std::string> nodes;
      for (const auto& m : net.members)
        if (containers_.count(m.container)) nodes.insert(m.node);
      if (nodes.empty()) nodes.insert(o_.node);
      for (const std::string& node : nodes) {
        const std::string id = interface_id(node, net.parent);
        if (made.insert(id).second) {
          Node n{id, NodeKind::Interface, {net.parent, "host interface"}, "", {{"name", net.parent}, {"node", node}},
                 LiveState::None};
          if (grouping_ == Grouping::Host && !node.empty()) n.cluster = host_cluster_id(node);
          g_.nodes.push_back(std::move(n));
        }
        const std::string mode = option(net, "mode");
        g_.edges.push_back({network_id(net.name), id, EdgeKind::Parent,
                            {mode.empty() ? "parent" : "parent, " + net.driver + " " + mode},
                            {{"network", net.name},
                             {"parent", net.parent},
                             {"node", node.empty() ? Fields(nullptr) : Fields(node)},
                             {"mode", mode.empty() ? Fields(nullptr) : Fields(mode)}},
                            drawn(o_.live, "network/" + net.name)});
      }
    }
  }

  // Between every two hosts an overlay network has members on (those of the
  // picked host only, when one is).
  void add_tunnels() {
    for (const auto& net : v_.networks) {
      if (!networks_.count(net.name) || net.driver != "overlay") continue;
      const std::set<std::string> set = nodes_of(net);
      const std::vector<std::string> nodes(set.begin(), set.end());
      const std::string vni = option(net, "vni");
      const Fields options = view::options_json(net.options);
      for (size_t i = 0; i < nodes.size(); ++i)
        for (size_t j = i + 1; j < nodes.size(); ++j) {
          if (!o_.node.empty() && nodes[i] != o_.node && nodes[j] != o_.node) continue;
          Edge e{host_id(nodes[i]), host_id(nodes[j]), EdgeKind::Tunnel, {"vxlan " + vni + " " + net.name}, {},
                 drawn(o_.live, "network/" + net.name)};
          e.fields = {{"network", net.name}, {"vni", options.value("vni", Fields())}, {"port", options.value("port", Fields())}};
          const view::HostView *a = host(nodes[i]), *b = host(nodes[j]);
          e.fields["local"] = a ? Fields(a->address) : Fields(nullptr);
          e.fields["remote"] = b ? Fields(b->address) : Fields(nullptr);
          g_.edges.push_back(std::move(e));
        }
    }
  }

  Node* node(const std::string& id) {
    for (auto& n : g_.nodes)
      if (n.id == id) return &n;
    return nullptr;
  }

  // A container only the kernel has, drawn once.
  Node& extra_container(const std::string& name) {
    if (Node* n = node(container_id(name))) return *n;
    g_.nodes.push_back({container_id(name), NodeKind::Container, {name, "not in the manifests"}, "",
                        {{"name", name}}, LiveState::Extra});
    return g_.nodes.back();
  }

  // What the kernel has that the manifests do not: networks and containers
  // as nodes of their own, a port as its edge; anything else of a drawn
  // element makes it drift.
  void add_extras() {
    if (!o_.live) return;
    for (const auto& [origin, state] : o_.live->by_origin) {
      if (state != LiveState::Extra) continue;
      const auto slash = origin.find('/');
      const std::string what = origin.substr(0, slash), rest = slash == std::string::npos ? "" : origin.substr(slash + 1);
      if (what == "network" && !node(network_id(rest))) {
        g_.nodes.push_back({network_id(rest), NodeKind::Network, {rest, "not in the manifests"}, "",
                            {{"name", rest}}, LiveState::Extra});
      } else if (what == "container") {
        extra_container(rest);
      } else if (what == "attachment" || what == "port") {
        const std::string container = rest.substr(0, rest.find('/'));
        Node& c = extra_container(container);
        if (what == "attachment") {
          if (c.state == LiveState::Ok) c.state = LiveState::Drift;
          continue;
        }
        // The rule's own words: "HOST:PORT/PROTO". The kernel read is this host's.
        const std::string to = c.id, rule = rest.substr(rest.find('/') + 1), host = host_id(o_.node);
        if (!node(host)) g_.nodes.push_back({host, NodeKind::Host, {"host"}, "", {{"name", o_.node}}, LiveState::None});
        g_.edges.push_back({host, to, EdgeKind::Port, {rule}, {{"container", container}, {"rule", rule}},
                            LiveState::Extra});
      }
    }
  }

  // A link or join to a container of a host not drawn (--node) goes with it.
  void drop_dangling_edges() {
    std::set<std::string> ids;
    for (const Node& n : g_.nodes) ids.insert(n.id);
    std::erase_if(g_.edges, [&](const Edge& e) { return !ids.count(e.from) || !ids.count(e.to); });
  }

  const view::TopologyView& v_;
  const GraphOptions& o_;
  Grouping grouping_;
  Graph g_;
  std::set<std::string> containers_, networks_, hosts_;  // drawn
};

}  // namespace

std::optional<Grouping> parse_grouping(const std::string& text) {
  if (text == "auto") return Grouping::Auto;
  if (text == "host") return Grouping::Host;
  if (text == "network") return Grouping::Network;
  if (text == "none") return Grouping::None;
  return std::nullopt;
}

Graph graph_of(const view::TopologyView& view, const GraphOptions& options) { return Builder(view, options).build(); }

}  // namespace topo::graph
