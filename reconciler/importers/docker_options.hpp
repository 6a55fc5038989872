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

inline constexpr const char* kOptionNotCarried = "not carried over: no topo equivalent of this driver option";
inline constexpr const char* kSubInterfaceOptionsNotCarried =
    "not carried over: parent and mode are for macvlan and ipvlan";

// Sets what `key` = `value` means on `n` (parent and mode too: the caller
// checks they fit the driver).
OptionUse apply_docker_option(const std::string& key, const std::string& value, OutNetwork& n, std::string& error);

// A bridge network given `parent` or a mode (Docker ignores them there):
// clears them and says whether there were any, for the caller's note.
bool drop_sub_interface_options(OutNetwork& n);

}  // namespace topo::importers
