#include "reconciler/graph/dot_format.hpp"

#include <sstream>

#include "reconciler/graph/live_look.hpp"

namespace topo::graph {
namespace {

std::string quote(const std::string& s) { return dot_quote({s}); }

// The kind's own look; a live state other than ok draws over its colour and line.
std::string joined_style(std::string kind_style, const LiveLook& live) {
  if (live.line.empty()) return kind_style;
  return kind_style.empty() ? live.line : kind_style + "," + live.line;
}

std::string node_attrs(const Node& n) {
  std::string shape, style, fill;
  switch (n.kind) {
    case NodeKind::Host: shape = "box3d"; break;
    case NodeKind::Network: shape = "ellipse", style = "filled", fill = "#e3f2fd"; break;
    case NodeKind::Container: shape = "box", style = "rounded,filled", fill = "#f5f5f5"; break;
    case NodeKind::Interface: shape = "cds", style = "filled", fill = "#fff8e1"; break;
  }
  const LiveLook& live = live_look(n.state);
  std::string out = "shape=" + shape + ", label=" + dot_quote(n.label);
  if (!fill.empty()) out += ", fillcolor=" + quote(fill);
  if (const std::string s = joined_style(style, live); !s.empty()) out += ", style=" + quote(s);
  if (!live.colour.empty()) out += ", color=" + quote(live.colour) + ", penwidth=2";
  return out;
}

std::string edge_attrs(const Edge& e) {
  std::string style, colour, extra;
  switch (e.kind) {
    case EdgeKind::Attachment: extra = ", dir=none"; break;
    case EdgeKind::Join: style = "dashed", extra = ", arrowhead=empty"; break;
    case EdgeKind::Link: style = "dotted", extra = ", arrowhead=vee"; break;
    case EdgeKind::Port: colour = "#1565c0"; break;
    case EdgeKind::Parent: style = "bold", extra = ", dir=none"; break;
    case EdgeKind::Tunnel: style = "bold", colour = "#00838f", extra = ", dir=both"; break;
    case EdgeKind::HostMode: style = "dashed", extra = ", arrowhead=empty"; break;
  }
  const LiveLook& live = live_look(e.state);
  if (!live.line.empty()) style = live.line;  // an edge has one line: the state's wins
  if (!live.colour.empty()) colour = live.colour;
  std::string out = "label=" + dot_quote(e.label) + extra;
  if (!style.empty()) out += ", style=" + quote(style);
  if (!colour.empty()) out += ", color=" + quote(colour) + ", fontcolor=" + quote(colour);
  return out;
}

void write_nodes(std::ostringstream& out, const Graph& g, const std::string& cluster, const std::string& indent) {
  for (const Node& n : g.nodes)
    if (n.cluster == cluster) out << indent << quote(n.id) << " [" << node_attrs(n) << "];\n";
}

void write_legend(std::ostringstream& out) {
  out << "  subgraph \"cluster:legend\" {\n    label=\"live state\"; style=\"rounded\"; color=\"grey60\";\n";
  // No edges between them: all on one rank, one above the other.
  for (const LiveLook& look : live_legend()) {
    const std::string id = "legend:" + to_string(look.state);
    Node n{id, NodeKind::Container, {look.meaning}, "cluster:legend", {}, look.state};
    out << "    " << quote(id) << " [" << node_attrs(n) << "];\n";
  }
  out << "  }\n";
}

}  // namespace

std::string dot_quote(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\\n";
    for (char c : lines[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c == '\n' ? ' ' : c;
    }
  }
  return out + "\"";
}

std::string format_dot(const Graph& g) {
  std::ostringstream out;
  out << "digraph topo {\n"
         "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.8];\n"
         "  node [fontname=\"Helvetica\", fontsize=10];\n"
         "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const Cluster& c : g.clusters) {
    out << "  subgraph " << quote(c.id) << " {\n    label=" << quote(c.label) << "; style=\"rounded,dashed\"; color="
        << (c.kind == ClusterKind::Host ? "\"grey40\"" : "\"#90caf9\"") << ";\n";
    write_nodes(out, g, c.id, "    ");
    out << "  }\n";
  }
  write_nodes(out, g, "", "  ");
  for (const Edge& e : g.edges) out << "  " << quote(e.from) << " -> " << quote(e.to) << " [" << edge_attrs(e) << "];\n";
  if (g.live) write_legend(out);
  out << "}\n";
  return out.str();
}

}  // namespace topo::graph
