#pragma once
// Source locations of YAML nodes, and walking a document by the path
// valijson reports (["<root>"]["networks"][0]["mtu"]).
#include <string>
#include <vector>

#include "reconciler/loader/yaml_tree.hpp"

#include "reconciler/model/source_location.hpp"

namespace topo::loader {

// The parser's marks are 0-based; ours are 1-based.
SourceLocation location_of(const std::string& file, const YamlNode& node);

// A path element: a mapping key or a sequence index.
struct PathStep {
  std::string key;
  int index = -1;  // >= 0: a sequence index
};
using NodePath = std::vector<PathStep>;

// valijson context ("<root>", "[networks]", "[0]", ...) to a path. Whether
// "[0]" is an index or a key is decided against the document itself.
NodePath path_from_context(const std::vector<std::string>& context, const YamlNode& root);

// The deepest node along `path` that exists (the root when nothing matches).
YamlNode node_at(const YamlNode& root, const NodePath& path);

// The key node of `key` inside the mapping `map` (for errors about a key);
// `map` itself when there is none.
YamlNode key_node(const YamlNode& map, const std::string& key);

// "networks[0].mtu"; empty for the root.
std::string path_text(const NodePath& path);

}  // namespace topo::loader
