#pragma once
// Graphviz's libgvc (and libcgraph, which it needs), loaded the first time
// `topo graph` draws SVG, by their stable sonames, instead of linked into
// topo: linked, their start-up (mapping, relocation, constructors) cost
// every command about 1.5 ms, a tenth of a small plan, for the one format
// that uses them. Their headers are used as usual; their calls go through
// gvc_library(), as libcurl's do (cluster/etcd/curl_library.hpp).
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace topo::graph {

struct GvcLibrary {
  decltype(&::gvContext) context;
  decltype(&::gvLayout) layout;
  decltype(&::gvFreeLayout) free_layout;
  decltype(&::gvRenderData) render_data;
  decltype(&::gvFreeRenderData) free_render_data;
  decltype(&::agmemread) memread;
  decltype(&::agclose) close;
  decltype(&::agseterrf) seterrf;
  decltype(&::agseterr) seterr;
};

// Loaded once per process, thread-safe; throws std::runtime_error naming
// the library and what is missing when it cannot be loaded.
const GvcLibrary& gvc_library();

}  // namespace topo::graph
