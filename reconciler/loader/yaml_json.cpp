#include "reconciler/loader/yaml_json.hpp"

#include <charconv>
#include <cstdlib>
#include <map>
#include <regex>

#include "reconciler/loader/limits.hpp"
#include "reconciler/loader/yaml_path.hpp"

namespace topo::loader {

ScalarKind plain_scalar_kind(const std::string& t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return ScalarKind::Null;
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE")
    return ScalarKind::Bool;
  static const std::regex integer("[-+]?[0-9]+");
  static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  if (t.size() < 64 && std::regex_match(t, integer)) return ScalarKind::Integer;
  if (t.size() < 64 && std::regex_match(t, real)) return ScalarKind::Float;
  return ScalarKind::String;
}

ScalarKind scalar_kind(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::String;
  return plain_scalar_kind(node.Scalar());
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

  bool short_enough(const YAML::Node& node) {
    if (node.Scalar().size() <= kMaxScalarBytes) return true;
    diag.error(location_of(doc.file, node),
               "value longer than " + std::to_string(kMaxScalarBytes) + " characters");
    unusable = true;
    return false;
  }

  nlohmann::json scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
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

  nlohmann::json convert(const YAML::Node& node, int depth) {
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
    if (!known_tag(node.Tag())) {
      diag.error(location_of(doc.file, node), "unsupported YAML tag \"" + node.Tag() + "\"");
      unusable = true;
      return nullptr;
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        if (!short_enough(node)) return nullptr;
        return scalar(node);
      case YAML::NodeType::Sequence: {
        nlohmann::json arr = nlohmann::json::array();
        for (const YAML::Node& item : node) {
          arr.push_back(convert(item, depth + 1));
          if (fatal) break;
        }
        return arr;
      }
      case YAML::NodeType::Map: {
        nlohmann::json obj = nlohmann::json::object();
        std::map<std::string, YAML::Node> first_seen;
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) {
            diag.error(location_of(doc.file, kv.first), "mapping keys must be plain text");
            continue;
          }
          if (!short_enough(kv.first)) continue;
          const std::string& key = kv.first.Scalar();
          auto [it, inserted] = first_seen.emplace(key, kv.first);
          if (!inserted) {
            diag.error(location_of(doc.file, kv.first),
                       "key \"" + key + "\" appears twice in this mapping: first at " +
                           location_of(doc.file, it->second).str());
            continue;
          }
          obj[key] = convert(kv.second, depth + 1);
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
