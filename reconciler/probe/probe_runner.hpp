#pragma once
// Runs probes in parallel, each in a child process of its own (topo started
// again as `topo __probe JSON`): entering a container's mount and network
// namespaces changes a whole process, and a child cannot leave the caller
// in a container's namespace, whatever threads the caller has.
#include <cstddef>
#include <functional>
#include <vector>

#include "reconciler/verify/probe.hpp"

namespace topo::probe {

// One result per probe, in order. A child that does not answer within its
// probe's timeout and five seconds' grace is killed, and its result says so.
// `stop_fd` (-1: none): once it is readable, the children still running are
// killed and nothing more is started, so that a controller told to stop does
// not wait out a 30 s timeout; their results say they were stopped.
// `on_done` (may be empty) hears of each probe's index as its result is in.
std::vector<verify::ProbeResult> run_probes(const std::vector<verify::Probe>& probes, int parallel = 32,
                                            int stop_fd = -1,
                                            const std::function<void(std::size_t index)>& on_done = {});

// The child's side: `topo __probe JSON` prints the result as one JSON line.
int probe_child_main(const char* probe_json);

}  // namespace topo::probe
