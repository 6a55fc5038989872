#include "reconciler/process/malloc_tuning.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

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

}  // namespace

void tune_malloc() {
  // A full read runs on three threads, and memory one thread's arena held
  // free was not reused by another's: a plan's peak was 13 % higher at 3000
  // containers.
  ::mallopt(M_ARENA_MAX, 1);
  // Vectors of thousands of resources are megabytes: above the default
  // threshold each growth was a fresh mapping, every page faulted in anew.
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  // Freed memory stays for the next allocation instead of being given back
  // and faulted in again.
  ::mallopt(M_TRIM_THRESHOLD, 256 * kMiB);
  ::mallopt(M_TOP_PAD, kTopPad);
  grow_heap_with_huge_pages();
}

void release_free_memory() {
  ::malloc_trim(0);
  // The trim took the advised top away with it: a new one, for the next pass.
  grow_heap_with_huge_pages();
}

}  // namespace topo::process
