#pragma once
// `topo import cni FILE`: a CNI network configuration (a `.conflist`, or a
// single plugin's `.conf`) whose main plugin is bridge, macvlan or ipvlan with
// host-local IPAM, as one manifest network. The chained plugins (portmap,
// firewall, tuning, ...) are noted: their jobs are per container in topo.
// Pure: text in, text out.
#include <string>

#include "reconciler/importers/import_result.hpp"

namespace topo::importers {

// `stack`: written as the manifest's stack when not empty.
ImportResult import_cni(const std::string& file, const std::string& text, const std::string& stack);

}  // namespace topo::importers
