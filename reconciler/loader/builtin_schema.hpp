#pragma once
// The manifest schema (schema/topology.schema.json) as compiled into the
// binary: topo never looks for the file, so a copied binary works anywhere.
#include <string_view>

namespace topo::loader {

std::string_view builtin_schema_text();

}  // namespace topo::loader
