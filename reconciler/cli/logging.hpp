#pragma once
#include <string>

namespace topo::cli {

// Logs go to stderr, so stdout stays the command's output (plans, JSON).
// Throws std::invalid_argument on an unknown level or format.
void setup_logging(const std::string& level, const std::string& format);

}  // namespace topo::cli
