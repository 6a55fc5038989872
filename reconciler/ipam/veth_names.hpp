#pragma once
// Names of the host ends of veth pairs. The name is a hash of the
// attachment (the container end's namespace and name are free, the host end
// shares one namespace with every other pair and with the host's own links),
// and 32 bits of hash do clash: `svc909958/eth0` and `svc1031122/eth0` both
// hash to the same name. So the name is allocated like an address: the
// first candidate that nobody else holds, remembered and kept. Pure.
//
// Candidates for one attachment are derive_host_veth_name(c, i, 0), (c, i,
// 1), ...: the first is what topo always used, so existing pairs keep their
// names. Which one an attachment gets, in this order:
//   1. the one its live pair has (the host end's alias names the pair; a
//      name that is none of its candidates, e.g. renamed by hand, is drift);
//   2. the one the state dir remembers, if nobody else holds it now;
//   3. the first candidate nobody holds, attachments in model order.
// "Holds": a link of the host namespace (topo's of any stack, or not topo's),
// the bridge of a network being planned, or another attachment's choice.
#include <string>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

// How many candidates are tried before giving up (never reached in practice:
// each further candidate is an independent 32-bit hash).
inline constexpr int kHostVethCandidates = 64;

// "veth" + 8 hex digits of FNV-1a of "<container>/<interface>" (candidate 0)
// or "<n>/<container>/<interface>": within the 15-byte limit, the same on
// every host and run.
std::string derive_host_veth_name(const std::string& container, const std::string& interface, int candidate = 0);

struct VethNameResult {
  // One line per attachment whose pair will be made under another name than
  // its first candidate: which name was taken, by what, and what was chosen.
  std::vector<std::string> notes;
  std::vector<std::string> errors;  // no free candidate; each names the attachment
};

// Sets Allocation::host_veth in `allocations` for every attachment of
// `desired` on a bridge or overlay network. `remembered`: from the state dir.
VethNameResult assign_host_veth_names(const Desired& desired, const Allocations& remembered,
                                      const Observed& observed, Allocations& allocations);

}  // namespace topo
