#include "reconciler/graph/mermaid_format.hpp"

#include <map>
#include <sstream>

#include "reconciler/graph/live_look.hpp"

namespace topo::graph {
namespace {

// A quoted Mermaid label: quotes and angle brackets as entity codes (the
// line breaks are the only markup), lines joined by <br/>.
std::string label(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "<br/>";
    for (char c : lines[i]) {
      if (c == '"')
        out += "#quot;";
      else if (c == '<')
        out += "#lt;";
      else if (c == '>')
        out += "#gt;";
      else if (c == '#')
        out += "#35;";
      else
        out += c;
    }
  }
  return out + "\"";
}

std::string shaped(const Node& n) {
  const std::string text = label(n.label);
  switch (n.kind) {
    case NodeKind::Host: return "[[" + text + "]]";
    case NodeKind::Network: return "([" + text + "])";
    case NodeKind::Container: return "(" + text + ")";
    case NodeKind::Interface: return ">" + text + "]";
  }
  return "[" + text + "]";
}

std::string arrow(EdgeKind k) {
  switch (k) {
    case EdgeKind::Attachment: return "---";
    case EdgeKind::Join:
    case EdgeKind::Link:
    case EdgeKind::HostMode: return "-.->";
    case EdgeKind::Port: return "==>";
    case EdgeKind::Parent: return "===";
    case EdgeKind::Tunnel: return "<==>";
  }
  return "---";
}

std::string class_name(LiveState s) { return "state_" + to_string(s); }

std::string class_def(const LiveLook& look) {
  if (look.colour.empty()) return "stroke-width:1px";
  std::string out = "stroke:" + look.colour + ",stroke-width:2px";
  if (look.line == "dashed") out += ",stroke-dasharray:6 4";
  if (look.line == "dotted") out += ",stroke-dasharray:2 3";
  return out;
}

}  // namespace

std::string format_mermaid(const Graph& g) {
  std::ostringstream out;
  out << "flowchart LR\n";
  std::map<std::string, std::string> ids;  // graph id -> Mermaid id
  for (size_t i = 0; i < g.nodes.size(); ++i) ids[g.nodes[i].id] = "n" + std::to_string(i);
  auto write_nodes = [&](const std::string& cluster, const std::string& indent) {
    for (const Node& n : g.nodes)
      if (n.cluster == cluster) out << indent << ids[n.id] << shaped(n) << "\n";
  };
  for (size_t i = 0; i < g.clusters.size(); ++i) {
    out << "  subgraph g" << i << "[" << label({g.clusters[i].label}) << "]\n";
    write_nodes(g.clusters[i].id, "    ");
    out << "  end\n";
  }
  write_nodes("", "  ");
  for (const Edge& e : g.edges)
    out << "  " << ids[e.from] << " " << arrow(e.kind) << "|" << label(e.label) << "| " << ids[e.to] << "\n";
  if (!g.live) return out.str();

  out << "  subgraph key[\"live state\"]\n    direction TB\n";
  for (const LiveLook& look : live_legend())
    out << "    key_" << to_string(look.state) << "(" << label({look.meaning}) << ")\n";
  out << "  end\n";
  for (const LiveLook& look : live_legend()) out << "  classDef " << class_name(look.state) << " " << class_def(look) << "\n";
  for (const LiveLook& look : live_legend()) {
    std::string members = "key_" + to_string(look.state);
    for (const Node& n : g.nodes)
      if (n.state == look.state) members += "," + ids[n.id];
    out << "  class " << members << " " << class_name(look.state) << "\n";
  }
  // Edges are styled by their index, in the order they were written.
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const LiveLook& look = live_look(g.edges[i].state);
    if (!look.colour.empty()) out << "  linkStyle " << i << " " << class_def(look) << ",color:" << look.colour << "\n";
  }
  return out.str();
}

}  // namespace topo::graph
