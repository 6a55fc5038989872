#pragma once
// What the compose importer's two halves (networks, services) share while
// walking one file: the input, the manifest being built, and which compose
// network key became which manifest network.
#include <map>
#include <string>

#include "reconciler/importers/manifest.hpp"
#include "reconciler/importers/yaml_input.hpp"

namespace topo::importers {

struct ComposeNetwork {
  std::string name;         // the manifest network ("" for an external one: not imported)
  bool has_subnet = false;  // static addresses need one
  bool internal = false;
  YamlNode key;       // where it is declared (undefined for the implicit default)
  bool used = false;  // some service joins it
};

struct ComposeContext {
  YamlInput& in;
  std::string project;
  OutManifest& out;
  std::map<std::string, ComposeNetwork> networks;  // by compose key
};

// The top-level `networks` (and the implicit `default`), into ctx.out.networks.
void read_compose_networks(ComposeContext& ctx, const YamlNode& networks);
// The default network as compose makes it when a service needs it and the
// file does not declare `networks.default`.
void add_default_network(ComposeContext& ctx);
// `services`: containers and attachments.
void read_compose_services(ComposeContext& ctx, const YamlNode& services);
// Compose creates only the networks some service joins; the others are
// dropped with a note.
void drop_unused_networks(ComposeContext& ctx);

}  // namespace topo::importers
