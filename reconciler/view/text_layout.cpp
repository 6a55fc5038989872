#include "reconciler/view/text_layout.hpp"

#include <algorithm>
#include <sstream>

namespace topo::view {

std::string aligned(const KeyValues& lines, int indent) {
  std::size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, key.size() + 1);
  std::ostringstream out;
  for (const auto& [key, value] : lines) {
    const std::string label = key + ":";
    out << std::string(indent, ' ') << label;
    if (!value.empty()) out << std::string(width - label.size() + 2, ' ') << value;
    out << "\n";
  }
  return out.str();
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  int indent) {
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::ostringstream out;
  auto print = [&](const std::vector<std::string>& row) {
    std::string line(indent, ' ');
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
  return out.str();
}

}  // namespace topo::view
