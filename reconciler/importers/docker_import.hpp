#pragma once
// `topo import docker FILE...`: the JSON of `docker network inspect` and of
// `docker inspect` (containers), told apart by shape, as one manifest whose
// attachments keep every current address and MAC, so a host moves over
// without renumbering (README "Coming from Docker, compose, CNI or ip netns
// scripts"). Pure: texts in, text out.
#include <string>
#include <vector>

#include "reconciler/importers/import_result.hpp"

namespace topo::importers {

struct SourceText {
  std::string file;  // names the input in notes and errors
  std::string text;
};

// Docker's predefined `bridge` network becomes the manifest network of this
// name (its kernel bridge keeps Docker's name, docker0 unless the daemon
// was told otherwise).
inline constexpr const char* kDockerDefaultBridgeNetwork = "docker0";

// `stack`: written as the manifest's stack when not empty.
ImportResult import_docker(const std::vector<SourceText>& inputs, const std::string& stack);

}  // namespace topo::importers
