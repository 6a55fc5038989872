#pragma once
// Limits the Linux kernel sets on what topo builds, checked before anything
// changes (by the loader on the manifests, by the planner against what the
// host already holds) instead of being met mid-apply.

namespace topo {

// Ports one Linux bridge can take: port numbers are 10 bits (BR_PORT_BITS)
// and 0 is not used, so the 1024th port fails with EXFULL ("Exchange full").
inline constexpr int kMaxBridgePorts = 1023;

}  // namespace topo
