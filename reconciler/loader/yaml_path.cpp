#include "reconciler/loader/yaml_path.hpp"

#include <charconv>

namespace topo::loader {

SourceLocation location_of(const std::string& file, const YamlNode& node) {
  const YamlMark m = node.mark();
  if (m.line < 0) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

namespace {

std::string strip_brackets(const std::string& s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
  return s;
}

int parse_index(const std::string& s) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return -1;
  return v;
}

}  // namespace

NodePath path_from_context(const std::vector<std::string>& context, const YamlNode& root) {
  NodePath path;
  YamlNode cur = root;
  for (std::size_t i = 0; i < context.size(); ++i) {
    if (i == 0 && context[i] == "<root>") continue;
    const std::string step = strip_brackets(context[i]);
    PathStep ps;
    if (cur.is_sequence()) {
      ps.index = parse_index(step);
      cur = ps.index >= 0 ? cur[static_cast<std::size_t>(ps.index)] : YamlNode();
    } else {
      ps.key = step;
      cur = cur[step];
    }
    path.push_back(ps);
  }
  return path;
}

YamlNode node_at(const YamlNode& root, const NodePath& path) {
  YamlNode cur = root;
  for (const PathStep& step : path) {
    const YamlNode next = step.index >= 0 ? cur[static_cast<std::size_t>(step.index)] : cur[step.key];
    if (!next.defined()) return cur;
    cur = next;
  }
  return cur;
}

YamlNode key_node(const YamlNode& map, const std::string& key) {
  const YamlNode k = map.key(key);
  return k.defined() ? k : map;
}

std::string path_text(const NodePath& path) {
  std::string out;
  for (const PathStep& step : path) {
    if (step.index >= 0) {
      out += "[" + std::to_string(step.index) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += step.key;
    }
  }
  return out;
}

}  // namespace topo::loader
