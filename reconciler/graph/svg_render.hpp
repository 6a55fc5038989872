#pragma once
// DOT laid out by Graphviz's dot engine and rendered to SVG, in process
// through libgvc: the `dot` program is never run. Each node's and cluster's
// id ends up as the <title> of its SVG group, which is how programs (and the
// tests) find them in the picture.
#include <stdexcept>
#include <string>

namespace topo::graph {

// Graphviz refused the text, or has no dot layout or SVG renderer (its
// plugin configuration is missing: `dot -c` as root writes it), or is not
// installed (its libraries are loaded when first needed: gvc_library.hpp).
class SvgError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string render_svg(const std::string& dot);

}  // namespace topo::graph
