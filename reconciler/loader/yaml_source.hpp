#pragma once
// One manifest file to its YAML documents (libyaml's parser, into
// yaml_tree.hpp), with file-size bounds and parse errors turned into
// file:line:col.
#include <memory>
#include <string>
#include <vector>

#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/yaml_tree.hpp"

namespace topo::loader {

struct YamlDocument {
  std::string file;
  int index = 0;  // position in the file's stream, 0-based
  std::shared_ptr<const YamlTree> tree;  // the file's nodes, shared by its documents
  YamlNode root;
};

// Appends the file's non-empty documents to `out`. On a parse error the whole
// file is dropped: the parser cannot resume after one.
void read_yaml_file(const std::string& file, std::vector<YamlDocument>& out, Diagnostics& diag);

// Same, from text already in memory (tests, stdin).
void parse_yaml_text(const std::string& file, const std::string& text, std::vector<YamlDocument>& out,
                     Diagnostics& diag);

}  // namespace topo::loader
