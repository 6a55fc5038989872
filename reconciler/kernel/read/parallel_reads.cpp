#include "reconciler/kernel/read/parallel_reads.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <vector>

#include "reconciler/process/malloc_tuning.hpp"

namespace topo::observer {
namespace {

std::size_t thread_count() {
  if (const char* env = std::getenv("TOPO_READ_THREADS")) {
    const long n = std::strtol(env, nullptr, 10);
    if (n >= 1 && n <= 64) return static_cast<std::size_t>(n);
  }
  // Measured on a 2-core machine only; more is not known to help.
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 2);
}

}  // namespace

void parallel_reads(std::size_t count, const std::function<void(std::size_t)>& read) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) read(i);
  };
  const std::size_t helpers = std::min(thread_count(), count) - (count > 0 ? 1 : 0);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (std::size_t t = 0; t < helpers; ++t) {
    try {
      // Each helper's records in an arena of huge pages (malloc_tuning.hpp).
      threads.emplace_back([&] {
        process::tune_thread_heap();
        work();
      });
    } catch (const std::system_error&) {
      break;  // no thread to be had: the others (and the caller) do it all
    }
  }
  work();  // the caller is one of the workers
  for (auto& t : threads) t.join();
}

}  // namespace topo::observer
