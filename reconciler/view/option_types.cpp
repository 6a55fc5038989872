#include "reconciler/view/option_types.hpp"

#include <nlohmann/json.hpp>

#include "reconciler/loader/builtin_schema.hpp"

namespace topo::view {

namespace {

using nlohmann::json;

const json& schema() {
  static const json parsed = json::parse(loader::builtin_schema_text());
  return parsed;
}

// `node` with its "$ref"s followed ("#/definitions/bool"); null when one
// leads nowhere. The schema's refs stay inside the document and do not loop.
const json* resolved(const json* node) {
  for (int hops = 0; node && node->is_object() && node->contains("$ref") && hops < 16; ++hops) {
    const std::string ref = node->at("$ref").get<std::string>();
    if (ref.rfind("#/", 0) != 0) return nullptr;
    const json::json_pointer pointer(ref.substr(1));
    node = schema().contains(pointer) ? &schema().at(pointer) : nullptr;
  }
  return node;
}

}  // namespace

ValueType network_key_type(const std::string& key) {
  const json::json_pointer at("/definitions/network/properties");
  if (!schema().contains(at) || !schema().at(at).contains(key)) return ValueType::String;
  const json* node = resolved(&schema().at(at).at(key));
  if (!node || !node->is_object() || !node->contains("type")) return ValueType::String;
  const json& type = node->at("type");
  if (type == "boolean") return ValueType::Boolean;
  if (type == "integer") return ValueType::Integer;
  return ValueType::String;
}

}  // namespace topo::view
