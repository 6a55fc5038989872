#pragma once
// Aligned text for people: "key:  value" lines whose values start in one
// column, and tables whose columns line up (the last one unpadded, so no
// line ends in blanks). Pure.
#include <string>
#include <utility>
#include <vector>

namespace topo::view {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Each "key:" padded to the longest key, then the value; `indent` spaces first.
std::string aligned(const KeyValues& lines, int indent = 0);

// A header row and rows, columns two spaces apart; `indent` spaces first.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  int indent = 2);

}  // namespace topo::view
