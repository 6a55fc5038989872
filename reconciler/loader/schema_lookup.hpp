#pragma once
// Finding the part of our JSON Schema that applies to a node, so schema errors
// can say what was expected ("an integer between 68 and 65535") instead of
// valijson's generic text. Works on the schema as plain JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reconciler/loader/yaml_path.hpp"

namespace topo::loader {

struct SchemaView {
  const nlohmann::json* schema = nullptr;  // nullptr when the path leaves the schema
  std::string description;                 // most specific description on the way
};

SchemaView schema_at(const nlohmann::json& root_schema, const nlohmann::json& data, const NodePath& path);

// The keys a mapping schema allows (its "properties"), in schema order.
std::vector<std::string> allowed_keys(const nlohmann::json& root_schema, const SchemaView& view);

// The JSON value at `path` (nullptr when absent).
const nlohmann::json* data_at(const nlohmann::json& data, const NodePath& path);

}  // namespace topo::loader
