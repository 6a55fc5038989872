#include "reconciler/cli/graph_command.hpp"

#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/graph/dot_format.hpp"
#include "reconciler/graph/graph_model.hpp"
#include "reconciler/graph/json_format.hpp"
#include "reconciler/graph/live_states.hpp"
#include "reconciler/graph/manifest_view.hpp"
#include "reconciler/graph/mermaid_format.hpp"
#include "reconciler/graph/svg_render.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::cli {
namespace {

struct Drawn {
  view::TopologyView view;
  std::optional<graph::LiveStates> live;
};

// Multi-host manifests without --node: every host at once, the manifests'
// own picture (graph/manifest_view.hpp).
Drawn whole_model(const Options& o, Desired whole) {
  return {graph::manifest_view(std::move(whole), address_pools_of(o), o.netns_dir), std::nullopt};
}

Drawn read(const Options& o, const GraphFlags& g) {
  if (!o.cluster() && o.node.empty()) {
    Desired whole = load_to_converge(o.paths, o.stack.empty() ? kDefaultStack : o.stack, false);
    if (!whole.hosts.empty()) {
      if (g.live)
        throw UserError({"--live compares with this host's kernel: say which of the hosts it is with --node NAME",
                         "nothing was changed."});
      return whole_model(o, std::move(whole));
    }
  }
  auto kernel = open_kernel(o);
  Prepared p = prepare_read_only(o, *kernel);
  Drawn out{view::view_of(p.desired, p.allocations, o.netns_dir), std::nullopt};
  if (g.live) out.live = graph::live_states_of(compare(p.resources, p.observed));
  return out;
}

std::string format_of(const Options& o, const GraphFlags& g) {
  if (!g.format.empty()) return g.format;
  return o.output == "json" ? "json" : "dot";
}

}  // namespace

int cmd_graph(const Options& o, const GraphFlags& g) {
  const std::string format = format_of(o, g);
  Drawn drawn = read(o, g);
  graph::GraphOptions options;
  options.grouping = graph::parse_grouping(g.group_by).value_or(graph::Grouping::Auto);
  options.node = o.node;
  if (drawn.live) options.live = &*drawn.live;
  const graph::Graph picture = graph::graph_of(drawn.view, options);
  std::string text;
  if (format == "mermaid")
    text = graph::format_mermaid(picture);
  else if (format == "json")
    text = graph::format_json(picture);
  else if (format == "svg")
    text = graph::render_svg(graph::format_dot(picture));
  else
    text = graph::format_dot(picture);
  if (g.out_file.empty())
    std::cout << text;
  else
    fsutil::write_atomic_path(g.out_file, text, 0644);  // never through a symlink
  return kExitOk;
}

}  // namespace topo::cli
