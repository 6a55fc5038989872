#pragma once
// Wording of schema errors: what was expected, what was found, and a hint
// where one helps (a typo'd key, a number where text was meant).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reconciler/loader/schema_lookup.hpp"

namespace topo::loader {

// `where` is the path text ("networks[0]"), may be empty for the document root.
std::string unknown_key_message(const std::string& where, const std::string& key,
                                const std::vector<std::string>& allowed);
std::string missing_key_message(const std::string& where, const std::string& key);
// A value that breaks a type/pattern/range/enum constraint.
// `written`: the scalar's text as in the file (empty for collections).
std::string expected_message(const std::string& where, const SchemaView& view, const nlohmann::json* value,
                             const std::string& written);

}  // namespace topo::loader
