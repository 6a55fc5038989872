#include "reconciler/graph/json_format.hpp"

namespace topo::graph {
namespace {

using nlohmann::json;

// The element's identity, its facts and, when compared, its state (keys sorted).
json element(json head, const json& fields, LiveState state) {
  for (const auto& [key, value] : fields.items()) head[key] = value;
  if (state != LiveState::None) head["state"] = to_string(state);
  return head;
}

}  // namespace

std::string format_json(const Graph& g) {
  json clusters = json::array(), nodes = json::array(), edges = json::array();
  for (const Cluster& c : g.clusters) clusters.push_back({{"id", c.id}, {"kind", to_string(c.kind)}, {"label", c.label}});
  for (const Node& n : g.nodes)
    nodes.push_back(element({{"id", n.id}, {"kind", to_string(n.kind)}, {"cluster", n.cluster}}, n.fields, n.state));
  for (const Edge& e : g.edges)
    edges.push_back(element({{"kind", to_string(e.kind)}, {"from", e.from}, {"to", e.to}}, e.fields, e.state));
  json doc = {{"format_version", kGraphFormatVersion},
              {"node", g.node},
              {"live", g.live},
              {"clusters", clusters},
              {"nodes", nodes},
              {"edges", edges}};
  return doc.dump(2) + "\n";
}

}  // namespace topo::graph
