#pragma once
// Work run beside the caller's: on a thread of its own, whose allocations
// go to an arena of huge pages (malloc_tuning.hpp); when no thread can be
// had, at once on the caller's. Either way the future holds the result or
// the exception. A future from a thread waits for it when destroyed, so
// work that uses the caller's locals must be declared after them.
#include <future>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

#include "reconciler/process/malloc_tuning.hpp"

namespace topo::process {

template <typename Work>
std::future<std::invoke_result_t<Work&>> run_beside(Work work) {
  auto shared = std::make_shared<Work>(std::move(work));
  try {
    return std::async(std::launch::async, [shared] {
      tune_thread_heap();
      return (*shared)();
    });
  } catch (const std::system_error&) {
    std::packaged_task<std::invoke_result_t<Work&>()> now([shared] { return (*shared)(); });
    std::future<std::invoke_result_t<Work&>> done = now.get_future();
    now();
    return done;
  }
}

}  // namespace topo::process
