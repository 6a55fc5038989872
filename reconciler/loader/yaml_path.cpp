#include "reconciler/loader/yaml_path.hpp"

#include <charconv>

namespace topo::loader {

SourceLocation location_of(const std::string& file, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
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

NodePath path_from_context(const std::vector<std::string>& context, const YAML::Node& root) {
  NodePath path;
  YAML::Node cur = root;
  for (std::size_t i = 0; i < context.size(); ++i) {
    if (i == 0 && context[i] == "<root>") continue;
    const std::string step = strip_brackets(context[i]);
    PathStep ps;
    if (cur && cur.IsSequence()) {
      ps.index = parse_index(step);
      // Node::operator= writes through to the document; reset() rebinds.
      if (ps.index >= 0 && static_cast<std::size_t>(ps.index) < cur.size()) cur.reset(cur[ps.index]);
      else cur.reset(YAML::Node());
    } else {
      ps.key = step;
      YAML::Node next;
      if (cur && cur.IsMap()) {
        for (const auto& kv : cur) {
          if (kv.first.IsScalar() && kv.first.Scalar() == step) {
            next.reset(kv.second);
            break;
          }
        }
      }
      cur.reset(next);
    }
    path.push_back(ps);
  }
  return path;
}

YAML::Node node_at(const YAML::Node& root, const NodePath& path) {
  YAML::Node cur = root;
  for (const PathStep& step : path) {
    YAML::Node next;
    if (step.index >= 0 && cur.IsSequence() && static_cast<std::size_t>(step.index) < cur.size()) {
      next.reset(cur[step.index]);
    } else if (step.index < 0 && cur.IsMap()) {
      for (const auto& kv : cur) {
        if (kv.first.IsScalar() && kv.first.Scalar() == step.key) {
          next.reset(kv.second);
          break;
        }
      }
    }
    if (!next) return cur;
    cur.reset(next);
  }
  return cur;
}

YAML::Node key_node(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return map;
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
  }
  return map;
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
