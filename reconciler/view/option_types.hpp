#pragma once
// The type of a network key's value as the manifest schema gives it, so a
// driver's options (DriverSettings::options, spelled as text) come out of the
// JSON outputs as the manifest writes them: `icc` a boolean, `vni` a number,
// `bridge` a string even when its name is all digits.
#include <string>

namespace topo::view {

enum class ValueType { String, Boolean, Integer };

// By schema/topology.schema.json's network properties; String for a key it
// does not know.
ValueType network_key_type(const std::string& key);

}  // namespace topo::view
