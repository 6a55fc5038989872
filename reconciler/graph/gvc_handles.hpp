#pragma once
// Owners of Graphviz's C handles, each freed by its own call in reverse order
// of making: the render data, the layout, the graph. The context is one for
// the process and never freed (svg_render.cpp says why).
#include <memory>
#include <string>

#include "reconciler/graph/gvc_library.hpp"

namespace topo::graph::gvc {

struct GraphClose {
  void operator()(Agraph_t* g) const noexcept { gvc_library().close(g); }
};
using Graph = std::unique_ptr<Agraph_t, GraphClose>;

struct RenderDataFree {
  void operator()(char* data) const noexcept { gvc_library().free_render_data(data); }
};
using RenderData = std::unique_ptr<char, RenderDataFree>;

// A layout belongs to a graph within a context; it must go before either.
class Layout {
 public:
  Layout(GVC_t* context, Agraph_t* graph) : context_(context), graph_(graph) {}
  ~Layout() { gvc_library().free_layout(context_, graph_); }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;

 private:
  GVC_t* context_;
  Agraph_t* graph_;
};

// Graphviz reports through a process-wide hook (stderr by default): while
// one of these lives, its errors are collected here instead, warnings dropped.
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  std::string text() const;  // what was reported, on one line

 private:
  agusererrf previous_hook_;
  agerrlevel_t previous_level_;
};

}  // namespace topo::graph::gvc
