#include "reconciler/process/malloc_tuning.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <array>
#include <cstdlib>
#include <mutex>

namespace topo::process {

namespace {

constexpr int kMiB = 1 << 20;
// Blocks below this come from the heap; glibc quietly ignores a threshold
// above 32 MiB on 64 bits.
constexpr int kMmapThreshold = 32 * kMiB;
// The heap grows by this much more than asked each time.
constexpr int kTopPad = 64 * kMiB;
// Grown now by this much and the pad: it holds a plan of a few thousand
// containers.
constexpr std::size_t kFirstGrowth = 24u * kMiB;
// glibc's heaps for threads' arenas: 64 MiB of address space each
// (HEAP_MAX_SIZE on 64 bits), aligned to that size.
constexpr std::uintptr_t kThreadHeapSpan = 64u * kMiB;
constexpr std::uintptr_t kHugePage = 2u * kMiB;
// What glibc puts between two blocks (their headers), with room to spare.
constexpr std::uintptr_t kLeadRoom = 256;
// One per thread of a full read (tune_malloc).
constexpr int kArenas = 4;

// glibc asks for huge pages itself only when told by an environment variable
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), read before main: the heap is
// grown here and the request made on its new top. Untouched, that top costs
// no memory.
void grow_heap_with_huge_pages() {
  void* block = std::malloc(kFirstGrowth);
  if (!block) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(block) & ~(page - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  std::free(block);
  // Only when the block came from the brk heap: not under a sanitizer's
  // allocator, nor from a mapping when the heap could not grow.
  if (end > start && end - start >= kFirstGrowth)
    ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);  // a refusal changes nothing
}

// Whether this heap is met for the first time: a thread's arena outlives
// it and serves the next thread, whose tune_thread_heap finds it done.
bool first_time_for(std::uintptr_t heap) {
  static std::mutex mu;
  static std::array<std::uintptr_t, kArenas> seen{};  // no destructor: threads may outlive main's statics
  std::lock_guard lock(mu);
  for (std::uintptr_t& slot : seen) {
    if (slot == heap) return false;
    if (slot == 0) {
      slot = heap;
      return true;
    }
  }
  return false;  // more heaps than arenas: not glibc's arenas as known here
}

}  // namespace

void tune_malloc() {
  // A full read allocates on four threads at once (the main thread loading
  // the manifests, the two dump threads, the files-and-firewall thread):
  // an arena each. With one arena shared they queued on its lock (a no-op
  // plan of 1000 containers made 350 futex calls, about 20 ms of its 190);
  // glibc's default (eight per core) only adds arenas that hold free memory
  // nobody else reuses. The cost: memory one arena holds free is not reused
  // by another, a plan's peak 16 % higher at 3000 containers.
  ::mallopt(M_ARENA_MAX, kArenas);
  // Vectors of thousands of resources are megabytes: above the default
  // threshold each growth was a fresh mapping, every page faulted in anew.
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  // Freed memory stays for the next allocation instead of being given back
  // and faulted in again.
  ::mallopt(M_TRIM_THRESHOLD, 256 * kMiB);
  ::mallopt(M_TOP_PAD, kTopPad);
  grow_heap_with_huge_pages();
}

void tune_thread_heap() {
#if !defined(__SANITIZE_ADDRESS__)
  char* probe = static_cast<char*>(std::malloc(1));
  if (!probe) return;
  const auto at = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  // The main thread's arena is the brk heap, tuned by tune_malloc.
  if (at < reinterpret_cast<std::uintptr_t>(::sbrk(0))) return;
  const std::uintptr_t heap = at & ~(kThreadHeapSpan - 1);
  if (!first_time_for(heap)) return;
  // The heap's first huge page holds glibc's header, already touched, so
  // the kernel never makes it huge: a block up to its end, kept and never
  // touched (address space only), and the thread's allocations start on
  // the next one.
  const std::uintptr_t boundary = (at + kHugePage) & ~(kHugePage - 1);
  if (boundary - at > kLeadRoom && !std::malloc(boundary - at - kLeadRoom)) return;
  // The rest of the heap's address space, mapped or not yet: glibc grows a
  // thread's heap with mprotect, which keeps the request.
  ::madvise(reinterpret_cast<void*>(boundary), heap + kThreadHeapSpan - boundary, MADV_HUGEPAGE);
#endif
}

void prefer_huge_pages(const void* start, std::size_t bytes) {
  const auto at = reinterpret_cast<std::uintptr_t>(start);
  const std::uintptr_t first = (at + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t end = (at + bytes) & ~(kHugePage - 1);
  if (end > first) ::madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
}

void release_free_memory() {
  ::malloc_trim(0);
  // The trim took the advised top away with it: a new one, for the next pass.
  grow_heap_with_huge_pages();
}

}  // namespace topo::process
