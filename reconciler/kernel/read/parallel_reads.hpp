#pragma once
// Runs read(i) for every i < count on a few threads. Reading a thousand
// namespaces is a thousand rounds of small syscalls (enter the namespace,
// open a socket, three dumps), each mostly waiting on the kernel; two
// threads overlap them. read must not throw (catch into its own slot) and
// must touch only what belongs to its i; a thread that enters a namespace
// comes back before it takes the next i (ScopedNetns).
#include <cstddef>
#include <functional>

namespace topo::observer {

// TOPO_READ_THREADS=N overrides the count (1 = everything on the caller's
// thread), for measuring; the default is the number of cores, at most 2.
void parallel_reads(std::size_t count, const std::function<void(std::size_t)>& read);

}  // namespace topo::observer
