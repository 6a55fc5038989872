#pragma once
// The contract's name rules as every importer needs them: a source name that
// does not fit is an error naming it, never quietly changed (it is what the
// user will look for in `topo show`).
#include <string>

#include "reconciler/importers/manifest.hpp"

namespace topo::importers {

inline constexpr const char* kNameRule = "1-63 letters, digits, '_', '.', '-', starting with a letter or digit";

// Network, container and stack names: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$
bool valid_object_name(const std::string& name);
// Kernel interface names: 1-15 bytes of ^[A-Za-z0-9][A-Za-z0-9_.-]*$
bool valid_ifname(const std::string& name);

// Host names and search domains: letters, digits, '_', '.', '-', at most 253.
bool valid_domain(const std::string& name);
// A MAC address as 02:42:ac:11:00:02.
bool valid_mac(const std::string& mac);

// The loader names a bridge `br-` + the network's name cut to 15 bytes, so
// two long names with one beginning would share a bridge ("br-shop_fronten").
// Such networks get `bridge: br-` + 12 hex digits of a hash of their name,
// as Docker names its bridges `br-` + 12 hex digits of the network id.
void give_bridges_distinct_names(OutManifest& m);

}  // namespace topo::importers
