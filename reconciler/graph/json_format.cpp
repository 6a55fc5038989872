#include "reconciler/graph/json_format.hpp"

namespace topo::graph {
namespace {

// The element's identity first, then its facts in the view's order and, when
// compared, its state.
Fields element(Fields head, const Fields& fields, LiveState state) {
  for (const auto& [key, value] : fields.items()) head[key] = value;
  if (state != LiveState::None) head["state"] = to_string(state);
  return head;
}

Fields text_or_null(const std::string& s) { return s.empty() ? Fields(nullptr) : Fields(s); }

}  // namespace

std::string format_json(const Graph& g) {
  Fields clusters = Fields::array(), nodes = Fields::array(), edges = Fields::array();
  for (const Cluster& c : g.clusters) clusters.push_back({{"id", c.id}, {"kind", to_string(c.kind)}, {"label", c.label}});
  for (const Node& n : g.nodes)
    nodes.push_back(
        element({{"id", n.id}, {"kind", to_string(n.kind)}, {"cluster", text_or_null(n.cluster)}}, n.fields, n.state));
  for (const Edge& e : g.edges)
    edges.push_back(element({{"kind", to_string(e.kind)}, {"from", e.from}, {"to", e.to}}, e.fields, e.state));
  Fields doc = {{"format_version", kGraphFormatVersion},
                {"node", text_or_null(g.node)},
                {"live", g.live},
                {"clusters", clusters},
                {"nodes", nodes},
                {"edges", edges}};
  return doc.dump(2) + "\n";
}

}  // namespace topo::graph
