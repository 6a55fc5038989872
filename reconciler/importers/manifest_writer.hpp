#pragma once
// An importer's manifest as YAML text, through libyaml's emitter so that
// quoting is libyaml's (a `:` or `#` in a value, a leading `*`) and never
// hand-made. Strings that the loader would read as another type ("80",
// "true", "1.5", "null") are double-quoted so they stay strings.
#include <string>

#include "reconciler/importers/manifest.hpp"

namespace topo::importers {

// One YAML document, `version: 1` first; `header` (may be empty) goes
// before it as `# ` comment lines.
std::string write_manifest(const OutManifest& m, const std::string& header);

}  // namespace topo::importers
