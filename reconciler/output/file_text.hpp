#pragma once
// How a File resource's content reads in plans and diffs: never the whole
// text on one line, but its size and what an edit changed.
#include <string>

namespace topo {

// "12 lines" / "1 line".
std::string line_count_text(const std::string& content);

// live -> desired, e.g. "13 lines -> 12 lines (2 to restore, 3 to drop)":
// lines the desired text has that the live one lacks are restored, lines
// only the live one has (a hand edit) are dropped. Counted as multisets.
std::string content_change_text(const std::string& live, const std::string& desired);

}  // namespace topo
