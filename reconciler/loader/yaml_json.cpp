#include "reconciler/loader/yaml_json.hpp"

#include <charconv>
#include <cstdlib>
#include <map>
#include <string_view>

#include "reconciler/loader/limits.hpp"
#include "reconciler/loader/yaml_path.hpp"

namespace topo::loader {

ScalarKind plain_scalar_kind(const std::string& t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return ScalarKind::Null;
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE")
    return ScalarKind::Bool;
  if (t.size() >= 64) return ScalarKind::String;
  // The core schema's int and float forms, read by hand: std::regex cost a
  // tenth of loading a large manifest.
  //   int:   [-+]?[0-9]+
  //   float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
  //          | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
  if (t == ".nan" || t == ".NaN" || t == ".NAN") return ScalarKind::Float;
  std::size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  const std::string_view rest = std::string_view(t).substr(i);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return ScalarKind::Float;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - from;
  };
  const std::size_t whole = digits();
  if (whole > 0 && i == t.size()) return ScalarKind::Integer;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (digits() == 0 && whole == 0) return ScalarKind::String;
  } else if (whole == 0) {
    return ScalarKind::String;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    if (digits() == 0) return ScalarKind::String;
  }
  return i == t.size() ? ScalarKind::Float : ScalarKind::String;
}

ScalarKind scalar_kind(const YamlNode& node) {
  const std::string& tag = node.tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::String;
  return plain_scalar_kind(node.scalar());
}

namespace {

struct Converter {
  const YamlDocument& doc;
  std::size_t& budget;
  Diagnostics& diag;
  bool fatal = false;    // stop walking
  bool unusable = false;  // keep walking for more errors, but skip the schema

  bool known_tag(const std::string& tag) {
    static const char* const ok[] = {"", "?", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
                                     "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
                                     "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
                                     "tag:yaml.org,2002:seq"};
    for (const char* t : ok)
      if (tag == t) return true;
    return false;
  }

  bool short_enough(const YamlNode& node) {
    if (node.scalar().size() <= kMaxScalarBytes) return true;
    diag.error(location_of(doc.file, node),
               "value longer than " + std::to_string(kMaxScalarBytes) + " characters");
    unusable = true;
    return false;
  }

  nlohmann::json scalar(const YamlNode& node) {
    const std::string& text = node.scalar();
    switch (scalar_kind(node)) {
      case ScalarKind::Null:
        return nullptr;
      case ScalarKind::Bool:
        return text[0] == 't' || text[0] == 'T';
      case ScalarKind::Integer: {
        long long v = 0;
        const char* b = text.data() + (text[0] == '+' ? 1 : 0);
        auto [p, ec] = std::from_chars(b, text.data() + text.size(), v);
        if (ec == std::errc() && p == text.data() + text.size()) return v;
        return std::strtod(text.c_str(), nullptr);  // out of range: still a number
      }
      case ScalarKind::Float:
        return std::strtod(text.c_str(), nullptr);
      case ScalarKind::String:
        return text;
    }
    return text;
  }

  nlohmann::json convert(const YamlNode& node, int depth) {
    if (fatal) return nullptr;
    if (budget == 0) {
      diag.error(location_of(doc.file, node),
                 "document too large: more than " + std::to_string(kMaxNodesPerFile) +
                     " nodes in this file (counting each use of an alias)");
      fatal = true;
      return nullptr;
    }
    --budget;
    if (depth > kMaxDepth) {
      diag.error(location_of(doc.file, node), "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
      fatal = true;
      return nullptr;
    }
    if (!known_tag(node.tag())) {
      diag.error(location_of(doc.file, node), "unsupported YAML tag \"" + node.tag() + "\"");
      unusable = true;
      return nullptr;
    }
    switch (node.kind()) {
      case YamlKind::Undefined:
      case YamlKind::Null:
        return nullptr;
      case YamlKind::Scalar:
        if (!short_enough(node)) return nullptr;
        return scalar(node);
      case YamlKind::Sequence: {
        nlohmann::json arr = nlohmann::json::array();
        for (const YamlNode& item : node.items()) {
          arr.push_back(convert(item, depth + 1));
          if (fatal) break;
        }
        return arr;
      }
      case YamlKind::Map: {
        nlohmann::json obj = nlohmann::json::object();
        std::map<std::string_view, YamlNode> first_seen;
        for (const auto& [k, v] : node.entries()) {
          if (!k.is_scalar()) {
            diag.error(location_of(doc.file, k), "mapping keys must be plain text");
            continue;
          }
          if (!short_enough(k)) continue;
          const std::string& key = k.scalar();
          auto [it, inserted] = first_seen.emplace(key, k);
          if (!inserted) {
            diag.error(location_of(doc.file, k),
                       "key \"" + key + "\" appears twice in this mapping: first at " +
                           location_of(doc.file, it->second).str());
            continue;
          }
          obj[key] = convert(v, depth + 1);
          if (fatal) break;
        }
        return obj;
      }
    }
    return nullptr;
  }
};

}  // namespace

std::optional<nlohmann::json> yaml_to_json(const YamlDocument& doc, std::size_t& budget, Diagnostics& diag) {
  Converter c{doc, budget, diag};
  nlohmann::json j = c.convert(doc.root, 0);
  if (c.fatal || c.unusable) return std::nullopt;
  return j;
}

}  // namespace topo::loader
