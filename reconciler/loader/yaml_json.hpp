#pragma once
// A YAML document as typed JSON, for schema validation. The parser keeps
// every scalar as text, so scalars are typed here by the YAML 1.2 core schema: quoted text is a string, plain 1500 an integer, plain
// true a boolean, ~ or nothing null. Also where hostile input is bounded:
// node count (alias bombs), depth, duplicate and non-text keys.
#include <optional>

#include <nlohmann/json.hpp>

#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace topo::loader {

// `budget`: nodes still allowed for this file; decremented. nullopt when the
// document cannot be converted (errors are in diag).
std::optional<nlohmann::json> yaml_to_json(const YamlDocument& doc, std::size_t& budget, Diagnostics& diag);

// The core-schema reading of a plain scalar, shared with the model reader so
// both agree on what "true" or "0100" mean.
enum class ScalarKind { Null, Bool, Integer, Float, String };
ScalarKind plain_scalar_kind(const std::string& text);
// Kind of a scalar node, honouring quotes and explicit !!tags.
ScalarKind scalar_kind(const YamlNode& node);

}  // namespace topo::loader
