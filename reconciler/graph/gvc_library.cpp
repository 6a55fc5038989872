#include "reconciler/graph/gvc_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace topo::graph {
namespace {

// Debian 12's packages libgvc6 and libcgraph6 (named in the package's
// Depends by hand: dpkg-shlibdeps sees only what is linked).
constexpr const char* kGvc = "libgvc.so.6";
constexpr const char* kCgraph = "libcgraph.so.6";

void* open_library(const char* soname) {
  // Never closed: Graphviz keeps process-wide state (svg_render.cpp).
  void* lib = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = ::dlerror();
    throw std::runtime_error(std::string("SVG needs Graphviz (") + soname +
                             ", Debian's package libgvc6): " + (why ? why : "not found"));
  }
  return lib;
}

GvcLibrary load() {
  void* gvc = open_library(kGvc);
  void* cgraph = open_library(kCgraph);
  GvcLibrary g{};
  auto bind = [&](void* lib, const char* soname, auto& fn, const char* name) {
    void* sym = ::dlsym(lib, name);
    if (!sym) throw std::runtime_error(std::string(soname) + " has no " + name + "; Graphviz 2.42 or later is needed");
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(sym);
  };
  bind(gvc, kGvc, g.context, "gvContext");
  bind(gvc, kGvc, g.layout, "gvLayout");
  bind(gvc, kGvc, g.free_layout, "gvFreeLayout");
  bind(gvc, kGvc, g.render_data, "gvRenderData");
  bind(gvc, kGvc, g.free_render_data, "gvFreeRenderData");
  bind(cgraph, kCgraph, g.memread, "agmemread");
  bind(cgraph, kCgraph, g.close, "agclose");
  bind(cgraph, kCgraph, g.seterrf, "agseterrf");
  bind(cgraph, kCgraph, g.seterr, "agseterr");
  return g;
}

}  // namespace

const GvcLibrary& gvc_library() {
  static const GvcLibrary library = load();  // a failed load throws and is tried again next time
  return library;
}

}  // namespace topo::graph
