#include "reconciler/output/progress_text.hpp"

#include <fmt/format.h>

namespace topo {

std::string format_progress(const std::string& verb, std::size_t done, std::size_t total, double elapsed_seconds,
                            const std::string& current, std::size_t width) {
  const std::size_t percent = total == 0 ? 100 : done * 100 / total;
  std::string line = fmt::format("{}: {}/{} ({}%), {:.1f} s", verb, done, total, percent, elapsed_seconds);
  if (!current.empty()) line += ", " + current;
  // One column is left free: writing the last one makes some terminals wrap.
  if (width > 1 && line.size() > width - 1) {
    line.resize(width - 1);
    // Not in the middle of a UTF-8 sequence (a container name may hold one).
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) line.pop_back();
    if (!line.empty() && (static_cast<unsigned char>(line.back()) & 0x80)) line.pop_back();
  }
  return line;
}

}  // namespace topo
