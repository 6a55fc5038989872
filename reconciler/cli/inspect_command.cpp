#include "reconciler/cli/inspect_command.hpp"

#include <iostream>

#include "reconciler/cli/commands.hpp"
#include "reconciler/view/inspect_format.hpp"
#include "reconciler/view/topology_view.hpp"

namespace topo::cli {

int cmd_inspect(const Options& o, const InspectRequest& r) {
  if (o.paths.empty())
    throw UserError({"inspect " + r.kind + " " + r.name + ": name the manifests (PATH...) that declare it"});
  auto kernel = open_kernel(o);
  // What plan sees: the addresses, MACs and host ports in force or about to be.
  Prepared p = prepare_read_only(o, *kernel);
  const view::TopologyView v = view::view_of(p.desired, p.allocations, o.netns_dir);
  const bool json = o.output == "json";
  if (r.kind == "network") {
    const view::NetworkView* n = v.network(r.name);
    if (!n) throw UserError({view::unknown_name_message(v, r.kind, r.name)});
    std::cout << (json ? view::format_network_json(*n) : view::format_network_text(*n));
  } else {
    const view::ContainerView* c = v.container(r.name);
    if (!c) throw UserError({view::unknown_name_message(v, r.kind, r.name)});
    std::cout << (json ? view::format_container_json(*c) : view::format_container_text(*c));
  }
  return kExitOk;
}

}  // namespace topo::cli
