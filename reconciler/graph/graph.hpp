#pragma once
// The picture of a topology before it is spelled in any format: nodes, edges
// and the clusters that keep it readable. The DOT, Mermaid and JSON emitters
// read only this, so the three always show the same thing.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace topo::graph {

// What --live found for an element. None: not compared (no --live, or an
// element topo makes nothing for, as a host or a parent interface).
enum class LiveState { None, Ok, Missing, Drift, Extra };
std::string to_string(LiveState s);  // "", "ok", "missing", "drift", "extra"

enum class NodeKind {
  Host,       // a machine of a multi-host manifest, or the host namespace
  Network,
  Container,
  Interface,  // a host interface that is not topo's: a macvlan/ipvlan parent
};
std::string to_string(NodeKind k);

enum class EdgeKind {
  Attachment,  // container -> network: interface and addresses
  Join,        // container -> container whose namespace it joins (network_mode container:X)
  Link,        // container -> container it resolves by a legacy link
  Port,        // host -> container: a published port
  Parent,      // network -> its macvlan/ipvlan parent interface
  Tunnel,      // host <-> host: an overlay network's VXLAN between them
  HostMode,    // container -> host: network_mode host
};
std::string to_string(EdgeKind k);

enum class ClusterKind { Host, Network };
std::string to_string(ClusterKind k);

struct Cluster {
  std::string id;  // unique, as node ids
  ClusterKind kind;
  std::string label;
};

// An element's facts for JSON, as view/view_json.hpp spells them, in its order.
using Fields = nlohmann::ordered_json;

struct Node {
  std::string id;  // unique and stable: "network:web", "container:c1", "host:a", "interface:a/eth0"
  NodeKind kind;
  std::vector<std::string> label;  // lines, the name first
  std::string cluster;             // the Cluster::id it sits in, "" for none
  Fields fields = Fields::object();
  LiveState state = LiveState::None;
};

struct Edge {
  std::string from, to;  // node ids
  EdgeKind kind;
  std::vector<std::string> label;  // lines
  Fields fields = Fields::object();
  LiveState state = LiveState::None;
};

struct Graph {
  std::string node;   // the host it is drawn for, "" = all of them
  bool live = false;  // states were compared with the kernel: formats add a legend
  std::vector<Cluster> clusters;
  std::vector<Node> nodes;  // in cluster order, then by id within
  std::vector<Edge> edges;
};

}  // namespace topo::graph
