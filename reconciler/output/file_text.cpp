#include "reconciler/output/file_text.hpp"

#include <map>
#include <sstream>

namespace topo {
namespace {

std::map<std::string, int> line_bag(const std::string& text) {
  std::map<std::string, int> bag;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) ++bag[l];
  return bag;
}

int lines(const std::string& text) {
  int n = 0;
  for (const auto& [l, k] : line_bag(text)) n += k;
  return n;
}

// How many lines of `a` are not matched by a line of `b`.
int missing_from(const std::map<std::string, int>& a, const std::map<std::string, int>& b) {
  int n = 0;
  for (const auto& [l, k] : a) {
    auto it = b.find(l);
    int have = it == b.end() ? 0 : it->second;
    if (k > have) n += k - have;
  }
  return n;
}

std::string count(int n) { return std::to_string(n) + (n == 1 ? " line" : " lines"); }

}  // namespace

std::string line_count_text(const std::string& content) { return count(lines(content)); }

std::string content_change_text(const std::string& live, const std::string& desired) {
  auto l = line_bag(live), d = line_bag(desired);
  int restore = missing_from(d, l), drop = missing_from(l, d);
  std::string s = count(lines(live)) + " -> " + count(lines(desired));
  if (restore || drop) {
    s += " (" + std::to_string(restore) + " to restore, " + std::to_string(drop) + " to drop)";
  } else {
    s += " (same lines, other order or line ends)";
  }
  return s;
}

}  // namespace topo
