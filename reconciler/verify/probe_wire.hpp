#pragma once
// A probe and its result as the one JSON line each way between `topo verify`
// and the child it starts per probe (reconciler/probe/): the child enters the
// container's namespaces, which a process does whole, so it is a process.
#include <optional>
#include <string>

#include "reconciler/verify/probe.hpp"

namespace topo::verify {

std::string probe_to_json(const Probe& p);
std::optional<Probe> probe_from_json(const std::string& text);
std::string result_to_json(const ProbeResult& r);
std::optional<ProbeResult> result_from_json(const std::string& text);

}  // namespace topo::verify
