#pragma once
// Address and MAC allocation. Pure: the inputs are the model, what the state
// file remembers and what the kernel holds; the output is one address per
// attachment and family. Sticky: a remembered or live address is kept as long
// as it is still valid, so addresses never move across re-applies, added
// containers or a lost state dir.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

struct Allocation {
  std::optional<IpAddress> ipv4;
  std::optional<IpAddress> ipv6;
  std::string mac;
  // Host end of the attachment's veth pair (bridge and overlay networks):
  // chosen so that no two pairs clash (veth_names.hpp). "" for other drivers.
  std::string host_veth{};
  // A host port topo chose for a published port (host_ports.hpp); such an
  // entry has no addresses and its key is host_port_key(), not an attachment's.
  int host_port = 0;
};

// Keyed by attachment_key(): "<network>/<container>/<interface>".
using Allocations = std::map<std::string, Allocation>;
std::string attachment_key(const Attachment& a);

struct IpamResult {
  Allocations allocations;
  std::vector<std::string> errors;  // e.g. a pool ran dry; each names the attachment
};

// `remembered`: from the state file (may be empty or stale).
// `observed`: the kernel's owned resources; an address on a container's
// interface inside the network's subnet is taken as its allocation.
IpamResult allocate(const Desired& desired, const Allocations& remembered, const std::vector<Resource>& observed);

// A locally administered MAC derived from the address (02:42:a:b:c:d for
// IPv4, as Docker does) so every host computes the same one.
std::string derive_mac(const Allocation& a, const std::string& seed);

}  // namespace topo
