#pragma once
// What Docker lets through but the contract refuses, found on the manifest
// an importer built, so that it can drop it with a note rather than print a
// manifest that does not validate.
#include <string>
#include <vector>

#include "reconciler/importers/manifest.hpp"

namespace topo::importers {

// Containers that publish ports but are attached to internal networks only
// (Docker accepts the ports and they never answer; topo refuses them).
std::vector<OutContainer*> publishing_without_outside_network(OutManifest& m);

}  // namespace topo::importers
