#pragma once
// Docker's network driver options (compose's `driver_opts`, the `Options` of
// `docker network inspect`) that have a manifest key: one table for both.
#include <string>

#include "reconciler/importers/manifest.hpp"

namespace topo::importers {

enum class OptionUse {
  Carried,  // set on the network
  Ignored,  // Docker's own bookkeeping with no effect to carry (default_bridge)
  Unknown,  // no topo equivalent: the caller notes it
  Invalid,  // the value does not parse: `error` says why
};

// Sets what `key` = `value` means on `n` (parent and mode too: the caller
// checks they fit the driver).
OptionUse apply_docker_option(const std::string& key, const std::string& value, OutNetwork& n, std::string& error);

}  // namespace topo::importers
