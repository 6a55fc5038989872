#include "reconciler/graph/gvc_library.hpp"

#include "reconciler/process/shared_library.hpp"

namespace topo::graph {
namespace {

GvcLibrary load() {
  // Debian 12's packages libgvc6 and libcgraph6 (named in the package's
  // Depends by hand: dpkg-shlibdeps sees only what is linked).
  const process::SharedLibrary gvc("libgvc.so.6", "Graphviz", "SVG", "libgvc6", "2.42");
  const process::SharedLibrary cgraph("libcgraph.so.6", "Graphviz", "SVG", "libcgraph6", "2.42");
  GvcLibrary g{};
  gvc.bind(g.context, "gvContext");
  gvc.bind(g.layout, "gvLayout");
  gvc.bind(g.free_layout, "gvFreeLayout");
  gvc.bind(g.render_data, "gvRenderData");
  gvc.bind(g.free_render_data, "gvFreeRenderData");
  cgraph.bind(g.memread, "agmemread");
  cgraph.bind(g.close, "agclose");
  cgraph.bind(g.seterrf, "agseterrf");
  cgraph.bind(g.seterr, "agseterr");
  return g;
}

}  // namespace

const GvcLibrary& gvc_library() {
  static const GvcLibrary library = load();  // a failed load throws and is tried again next time
  return library;
}

}  // namespace topo::graph
