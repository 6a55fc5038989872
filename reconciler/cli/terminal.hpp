#pragma once
// What the terminal the output goes to may be sent.
#include "reconciler/cli/options.hpp"

namespace topo::cli {

// Colour in text output: only on a terminal, and never with --no-color,
// NO_COLOR set to anything (no-color.org) or TERM=dumb.
bool use_colour(const Options& o);

}  // namespace topo::cli
