#pragma once
// JSON Schema validation of each manifest document (valijson), with its errors
// turned into "file:line:col: path: expected ..." messages.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace valijson {
class Schema;
}

namespace topo::loader {

class SchemaChecker {
 public:
  // The built-in schema (builtin_schema.hpp), parsed once and then shared.
  static std::optional<SchemaChecker> load(Diagnostics& diag);

  // Adds one error per problem found; returns false when there was any.
  bool check(const YamlDocument& doc, const nlohmann::json& data, Diagnostics& diag) const;

 private:
  static std::optional<SchemaChecker> parse(std::string& error);
  nlohmann::json schema_json_;
  std::shared_ptr<valijson::Schema> schema_;
};

}  // namespace topo::loader
