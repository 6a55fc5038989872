#include "reconciler/graph/svg_render.hpp"

#include <mutex>

#include "reconciler/graph/gvc_handles.hpp"

namespace topo::graph {
namespace gvc {
namespace {

// The hook is a plain function: what it collects lives here, guarded by the
// mutex render_svg holds throughout (Graphviz's state is process-wide anyway).
std::string collected;

int collect(char* message) {
  collected += message ? message : "";
  return 0;
}

}  // namespace

ErrorCapture::ErrorCapture()
    : previous_hook_(gvc_library().seterrf(collect)), previous_level_(gvc_library().seterr(AGERR)) {
  collected.clear();
}

ErrorCapture::~ErrorCapture() {
  gvc_library().seterrf(previous_hook_);
  gvc_library().seterr(previous_level_);
}

std::string ErrorCapture::text() const {
  std::string out;
  for (char c : collected) out += c == '\n' ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace gvc

std::string render_svg(const std::string& dot) {
  static std::mutex graphviz;  // its error hook, plugin tables and layout globals are shared
  std::lock_guard lock(graphviz);
  const GvcLibrary& g = [] () -> const GvcLibrary& {
    try {
      return gvc_library();  // loaded the first time
    } catch (const std::runtime_error& e) {
      throw SvgError(e.what());
    }
  }();
  gvc::ErrorCapture errors;
  // The context loads its plugins (dot layout, core renderers) from the
  // configuration libgvc's package writes. One for the process, never
  // freed: Graphviz 2.42's text layout keeps font names from the first
  // context in a process-wide cache, and reads them freed (ASan:
  // heap-use-after-free in textspan_size) once that context is gone.
  static GVC_t* const context = g.context();
  if (!context) throw SvgError("graphviz: no context");
  gvc::Graph graph(g.memread(dot.c_str()));
  if (!graph) throw SvgError("graphviz could not read the graph: " + errors.text());
  if (g.layout(context, graph.get(), "dot") != 0)
    throw SvgError("graphviz could not lay the graph out (is its plugin configuration there? `dot -c` as root "
                   "writes it): " + errors.text());
  gvc::Layout layout(context, graph.get());
  char* data = nullptr;
  unsigned int length = 0;
  const int rc = g.render_data(context, graph.get(), "svg", &data, &length);
  gvc::RenderData owned(data);
  if (rc != 0 || !owned) throw SvgError("graphviz could not render SVG: " + errors.text());
  return std::string(owned.get(), length);
}

}  // namespace topo::graph
