#pragma once
// Schema-valid YAML documents to the raw model, with a location for every
// object and value. Also where value syntax the schema cannot express is
// checked: IP addresses, CIDR prefixes, port strings, extra hosts, links.
#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/raw_model.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace topo::loader {

// `doc` must have passed the schema check: shapes and types are trusted here.
// Its objects belong to its `stack:`, else to `default_stack`.
void read_document(const YamlDocument& doc, RawModel& model, Diagnostics& diag, const std::string& default_stack);

}  // namespace topo::loader
