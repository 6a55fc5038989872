#pragma once
// `topo import compose FILE`: a docker-compose file's networks, services (as
// containers), ports, aliases and links as one manifest (README "Coming from
// Docker, compose, CNI or ip netns scripts"). Pure: text in, text out.
#include <string>

#include "reconciler/importers/import_result.hpp"

namespace topo::importers {

struct ComposeOptions {
  std::string stack;           // --stack: the project name when the file has no top-level `name:`
  std::string directory_name;  // the last component of FILE's directory: compose's fallback project name
};

// `file` names the input in notes and errors; `text` is its content.
// Throws ImportError for input that cannot be imported.
ImportResult import_compose(const std::string& file, const std::string& text, const ComposeOptions& options);

// Compose's project name from a directory name: lowercased, only [a-z0-9_-],
// starting with a letter or digit. "" when nothing is left.
std::string project_name_from_directory(const std::string& directory_name);

}  // namespace topo::importers
