#include "reconciler/importers/yaml_input.hpp"

#include <cerrno>
#include <cstdlib>

#include "reconciler/loader/yaml_json.hpp"

namespace topo::importers {

SourceLocation YamlInput::at(const YamlNode& node) const {
  const loader::YamlMark m = node.defined() ? node.mark() : loader::YamlMark{};
  return {file_, m.line + 1, m.column + 1};
}

void YamlInput::fail(const YamlNode& node, const std::string& key, const std::string& message) const {
  throw ImportError(at(node), key, message);
}

void YamlInput::note(const YamlNode& node, const std::string& key, const std::string& why) const {
  notes_.push_back({at(node), key, why});
}

std::vector<std::pair<YamlNode, YamlNode>> YamlInput::map(const YamlNode& node, const std::string& key) const {
  if (!node.defined() || node.is_null()) return {};
  if (!node.is_map()) fail(node, key, "expected a mapping");
  // YAML's merge key (`<<: *base`, or a list of them), which compose files
  // use to share settings between services: the merged mappings' entries
  // come after the mapping's own, and never override one of them. One level
  // deep, as compose reads it.
  std::vector<std::pair<YamlNode, YamlNode>> out;
  std::vector<YamlNode> merged;
  for (const auto& entry : node.entries()) {
    if (entry.first.is_scalar() && entry.first.scalar() == "<<" && entry.first.tag() == "?") {
      if (entry.second.is_map())
        merged.push_back(entry.second);
      else if (entry.second.is_sequence())
        merged.insert(merged.end(), entry.second.items().begin(), entry.second.items().end());
      else
        fail(entry.second, key + ".<<", "a merge key takes a mapping or a list of them");
      continue;
    }
    out.push_back(entry);
  }
  const auto has = [&out](const std::string& k) {
    for (const auto& e : out)
      if (e.first.is_scalar() && e.first.scalar() == k) return true;
    return false;
  };
  for (const YamlNode& m : merged) {
    if (!m.is_map()) fail(m, key + ".<<", "a merge key takes a mapping or a list of them");
    for (const auto& entry : m.entries())
      if (!(entry.first.is_scalar() && has(entry.first.scalar()))) out.push_back(entry);
  }
  return out;
}

std::string YamlInput::text(const YamlNode& node, const std::string& key) const {
  if (!node.is_scalar()) fail(node, key, "expected a string or a number");
  return node.scalar();
}

bool YamlInput::boolean(const YamlNode& node, const std::string& key) const {
  return boolean_text(node, key, text(node, key));
}

bool YamlInput::boolean_text(const YamlNode& node, const std::string& key, const std::string& t) const {
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  fail(node, key, "expected true or false, got \"" + t + "\"");
}

int YamlInput::integer(const YamlNode& node, const std::string& key, int lo, int hi) const {
  return integer_text(node, key, text(node, key), lo, hi);
}

int YamlInput::integer_text(const YamlNode& node, const std::string& key, const std::string& t, int lo, int hi) const {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0' || errno != 0 || v < lo || v > hi)
    fail(node, key,
         "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got \"" + t + "\"");
  return static_cast<int>(v);
}

std::vector<std::pair<YamlNode, std::string>> YamlInput::texts(const YamlNode& node, const std::string& key) const {
  std::vector<std::pair<YamlNode, std::string>> out;
  if (!node.defined() || node.is_null()) return out;
  if (node.is_scalar()) {
    out.emplace_back(node, node.scalar());
    return out;
  }
  if (!node.is_sequence()) fail(node, key, "expected a string or a list of strings");
  for (std::size_t i = 0; i < node.items().size(); ++i)
    out.emplace_back(node.items()[i], text(node.items()[i], key + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<YamlInput::KeyValue> YamlInput::key_values(const YamlNode& node, const std::string& key,
                                                       const std::string& seps) const {
  std::vector<KeyValue> out;
  if (!node.defined() || node.is_null()) return out;
  if (node.is_map()) {
    for (const auto& [k, v] : node.entries()) {
      const std::string name = text(k, key);
      if (v.is_null()) {
        out.push_back({k, name, "", true});
        continue;
      }
      const bool is_text = loader::scalar_kind(v) == loader::ScalarKind::String;
      out.push_back({k, name, text(v, key + "." + name), is_text});
    }
    return out;
  }
  if (!node.is_sequence()) fail(node, key, "expected a list or a mapping");
  for (std::size_t i = 0; i < node.items().size(); ++i) {
    const YamlNode item = node.items()[i];
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    const std::string t = text(item, item_key);
    const std::size_t sep = t.find_first_of(seps);
    if (sep == std::string::npos || sep == 0)
      fail(item, item_key, "expected \"NAME" + std::string(1, seps.front()) + "VALUE\", got \"" + t + "\"");
    out.push_back({item, t.substr(0, sep), t.substr(sep + 1), true});
  }
  return out;
}

}  // namespace topo::importers
