#pragma once
// How topo's process takes memory from the kernel. A plan of a thousand
// containers makes some 200 000 allocations on three threads, and on a
// virtual machine each first touch of a page is a costly fault: with glibc's
// defaults a no-op plan took 6900 page faults and a third of its time in
// them (README "Performance").
#include <cstddef>

namespace topo::process {

// First thing in main: an arena for each thread of a read; large blocks and freed
// memory kept in the heap instead of mapped and unmapped again; the heap
// grown in large steps and asked for transparent huge pages (which the
// kernel gives only on request in its `madvise` mode, Debian's default).
void tune_malloc();

// First thing in a thread that allocates much (the threads of a full
// read): its arena, a heap of its own that glibc maps apart from the main
// one, asked for transparent huge pages too. Without it each of the read's
// threads faulted its records in page by page (2500 more faults in a
// no-op plan of 1000 containers than with one arena). Once per arena;
// after tune_malloc, whose threshold keeps its blocks in the heaps.
void tune_thread_heap();

// Asks for transparent huge pages on the whole 2 MiB pages inside
// [start, start + bytes): for one large block that is filled from its start
// (a reserved array of resources), which glibc may have mapped apart from
// any tuned heap when it outgrew the thread's heap. A refusal changes nothing.
void prefer_huge_pages(const void* start, std::size_t bytes);

// Gives what the heap holds free back to the kernel, keeping the huge-page
// request on the heap's top: a long-running controller calls it after each
// full pass, since tune_malloc keeps freed memory.
void release_free_memory();

}  // namespace topo::process
