// process/malloc_tuning.hpp: a read's threads allocate in arenas of their
// own, each a heap glibc maps apart from the main one; tune_thread_heap asks
// for huge pages on it, once per arena however many threads it serves.
#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "reconciler/process/malloc_tuning.hpp"

namespace topo::process {
namespace {

// The VmFlags of the mapping holding `address` in /proc/self/smaps ("" when none does).
std::string flags_at(std::uintptr_t address) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    const auto dash = line.find('-'), space = line.find(' ');
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && dash < space) {
      const std::uintptr_t start = std::stoul(line.substr(0, dash), nullptr, 16);
      const std::uintptr_t end = std::stoul(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      inside = start <= address && address < end;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line + " ";
  }
  return "";
}

// What the test checks, in a process of its own (below): exits 0, or 1
// with what failed.
[[noreturn]] void tune_two_threads_in_turn() {
  tune_malloc();  // as main does first: blocks up to 32 MiB come from the heaps
  std::string first_flags;
  std::size_t first_kept = 0, second_kept = 0;
  std::thread([&] {
    const std::size_t before = mallinfo2().uordblks;
    tune_thread_heap();
    first_kept = mallinfo2().uordblks - before;
    // Its end is past the heap's first huge page, which holds glibc's header.
    constexpr std::size_t kRecord = 64 * 1024;
    void* record = std::malloc(kRecord);
    first_flags = flags_at(reinterpret_cast<std::uintptr_t>(record) + kRecord - 1);
    std::free(record);
  }).join();
  // The next thread is given the arena the first one left.
  std::thread([&] {
    const std::size_t before = mallinfo2().uordblks;
    tune_thread_heap();
    second_kept = mallinfo2().uordblks - before;
  }).join();
  int failed = 0;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) std::fprintf(stderr, "FAILED: %s\n", what.c_str()), failed = 1;
  };
  check(first_flags.find(" hg ") != std::string::npos, "no MADV_HUGEPAGE where the thread allocates: " + first_flags);
  // The block that fills the heap's first huge page, kept (besides glibc's
  // own per-thread cache, a few hundred bytes in each thread).
  check(first_kept > (1u << 20) && first_kept < (2u << 20),
        "the first thread kept " + std::to_string(first_kept) + " bytes, not a block under 2 MiB");
  check(second_kept < 64u * 1024, "the arena was tuned again for the thread that reused it (" +
                                      std::to_string(second_kept) + " bytes kept)");
  std::fflush(stderr);
  std::_Exit(failed);
}

TEST(MallocTuning, AThreadsHeapAsksForHugePagesOncePerArena) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "built with AddressSanitizer: its allocator has no glibc arenas to tune; "
                  "this test runs in scripts/test.sh's build";
#endif
  // A fresh process (gtest runs the binary again for this test alone): in
  // one that ran other tests, their threads' arenas would be handed out.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(tune_two_threads_in_turn(), ::testing::ExitedWithCode(0), "^$");
}

TEST(MallocTuning, TheMainThreadsHeapIsLeftToTuneMalloc) {
  tune_malloc();
  const std::size_t before = mallinfo2().uordblks;
  tune_thread_heap();
  EXPECT_EQ(mallinfo2().uordblks, before);
}

}  // namespace
}  // namespace topo::process

namespace topo::process {
namespace {

// Issue 16: a large reserved array asks for huge pages on its whole 2 MiB
// pages, and on nothing outside the block.
TEST(MallocTuning, ALargeBlockAsksForHugePagesOnItsWholeHugePagesOnly) {
  constexpr std::size_t kMiB = 1u << 20;
  // Three mappings side by side, the middle one the block: 1 MiB into it
  // to 1 MiB before its end, so that only whole huge pages inside it qualify.
  void* area = ::mmap(nullptr, 12 * kMiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(area, MAP_FAILED);
  const auto base = (reinterpret_cast<std::uintptr_t>(area) + 2 * kMiB - 1) & ~(2 * kMiB - 1);
  const std::uintptr_t block = base + kMiB;  // not on a huge page's start
  prefer_huge_pages(reinterpret_cast<const void*>(block), 6 * kMiB);
  // Whole huge pages inside [block, block + 6 MiB): [base + 2, base + 6) MiB.
  EXPECT_NE(flags_at(base + 2 * kMiB).find(" hg "), std::string::npos) << flags_at(base + 2 * kMiB);
  EXPECT_NE(flags_at(base + 5 * kMiB).find(" hg "), std::string::npos);
  EXPECT_EQ(flags_at(base + kMiB).find(" hg "), std::string::npos) << "before the block's first whole huge page";
  EXPECT_EQ(flags_at(base + 6 * kMiB).find(" hg "), std::string::npos) << "past the block's last whole huge page";
  prefer_huge_pages(reinterpret_cast<const void*>(block), kMiB);  // no whole huge page: nothing asked
  ::munmap(area, 12 * kMiB);
}

}  // namespace
}  // namespace topo::process
