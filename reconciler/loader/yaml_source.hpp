#pragma once
// One manifest file to its YAML documents, with file-size bounds and parse
// errors turned into file:line:col.
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "reconciler/loader/diagnostics.hpp"

namespace topo::loader {

struct YamlDocument {
  std::string file;
  int index = 0;  // position in the file's stream, 0-based
  YAML::Node root;
};

// Appends the file's non-empty documents to `out`. On a parse error the whole
// file is dropped: yaml-cpp cannot resume after one.
void read_yaml_file(const std::string& file, std::vector<YamlDocument>& out, Diagnostics& diag);

// Same, from text already in memory (tests, stdin).
void parse_yaml_text(const std::string& file, const std::string& text, std::vector<YamlDocument>& out,
                     Diagnostics& diag);

}  // namespace topo::loader
