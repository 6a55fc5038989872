#pragma once
// Source locations of yaml-cpp nodes, and walking a document by the path
// valijson reports (["<root>"]["networks"][0]["mtu"]).
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "reconciler/model/source_location.hpp"

namespace topo::loader {

// yaml-cpp marks are 0-based; ours are 1-based.
SourceLocation location_of(const std::string& file, const YAML::Node& node);

// A path element: a mapping key or a sequence index.
struct PathStep {
  std::string key;
  int index = -1;  // >= 0: a sequence index
};
using NodePath = std::vector<PathStep>;

// valijson context ("<root>", "[networks]", "[0]", ...) to a path. Whether
// "[0]" is an index or a key is decided against the document itself.
NodePath path_from_context(const std::vector<std::string>& context, const YAML::Node& root);

// The deepest node along `path` that exists (the root when nothing matches).
YAML::Node node_at(const YAML::Node& root, const NodePath& path);

// The key node of `key` inside the mapping `map` (for errors about a key).
YAML::Node key_node(const YAML::Node& map, const std::string& key);

// "networks[0].mtu"; empty for the root.
std::string path_text(const NodePath& path);

}  // namespace topo::loader
