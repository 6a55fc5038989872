#include "reconciler/cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace topo::cli {

bool use_colour(const Options& o) {
  if (o.no_color || ::isatty(STDOUT_FILENO) == 0) return false;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return !(no_color && *no_color) && !(term && std::string(term) == "dumb");
}

}  // namespace topo::cli
