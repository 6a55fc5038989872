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

// The schema file to use: `explicit_path` when given, else the source tree's
// copy, the copy next to the binary (../share/topo), the installed copy.
std::string find_schema_path(const std::string& explicit_path);

class SchemaChecker {
 public:
  // Parsed once per path and file version, then shared.
  static std::optional<SchemaChecker> load(const std::string& path, Diagnostics& diag);

  // Adds one error per problem found; returns false when there was any.
  bool check(const YamlDocument& doc, const nlohmann::json& data, Diagnostics& diag) const;

 private:
  static std::optional<SchemaChecker> parse(const std::string& path, Diagnostics& diag);
  nlohmann::json schema_json_;
  std::shared_ptr<valijson::Schema> schema_;
};

}  // namespace topo::loader
