#include "reconciler/cli/inspect_command.hpp"

#include <iostream>
#include <optional>

#include "reconciler/cli/commands.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/state/state_dir.hpp"
#include "reconciler/view/inspect_format.hpp"
#include "reconciler/view/topology_view.hpp"
#include "reconciler/watcher/status.hpp"

namespace topo::cli {

namespace {

// Without PATH: the manifests the controller keeps in force here, as its
// status in the state dir names them; "" when no controller run is recorded.
std::string watched_path(const std::string& state_dir) {
  Fd dir = open_state_dir(state_dir, /*create=*/false);
  if (!dir) return "";
  const std::optional<std::string> text =
      fsutil::read_file_at(dir.get(), watcher::kStatusFile, watcher::status_path(state_dir));
  if (!text) return "";
  try {
    return watcher::status_from_json(*text).path;
  } catch (const std::exception&) {
    return "";  // `topo status` says what is wrong with it
  }
}

}  // namespace

int cmd_inspect(const Options& given, const InspectRequest& r) {
  Options o = given;
  if (o.paths.empty()) {
    const std::string watched = watched_path(o.state_dir);
    if (watched.empty())
      throw UserError({"inspect " + r.kind + " " + r.name + ": name the manifests (PATH...) that declare it; " +
                       "without PATH, inspect reads those `topo watch` keeps in force, and no controller run is " +
                       "recorded in " + o.state_dir});
    o.paths = {watched};
  }
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
