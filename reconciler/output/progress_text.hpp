#pragma once
// The text of the live progress line `apply`, `destroy` and `verify` show on
// a terminal (cli/progress_line.hpp draws it): "apply: 12/40 (30%), 3.2 s,
// create link c1/eth0", cut to the terminal's width.
#include <cstddef>
#include <string>

namespace topo {

std::string format_progress(const std::string& verb, std::size_t done, std::size_t total, double elapsed_seconds,
                            const std::string& current, std::size_t width);

}  // namespace topo
