// process/beside.hpp: work run on a thread of its own, its result or its
// exception handed over by the future.
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "reconciler/process/beside.hpp"

namespace topo::process {
namespace {

TEST(RunBeside, TheWorkRunsOnAnotherThreadAndItsResultComesBack) {
  const std::thread::id caller = std::this_thread::get_id();
  auto f = run_beside([] { return std::this_thread::get_id(); });
  EXPECT_NE(f.get(), caller);
  EXPECT_EQ(run_beside([] { return 42; }).get(), 42);
}

TEST(RunBeside, ItsExceptionComesBackThroughTheFuture) {
  auto f = run_beside([]() -> int { throw std::runtime_error("read failed"); });
  EXPECT_THROW(
      {
        try {
          f.get();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "read failed");
          throw;
        }
      },
      std::runtime_error);
}

TEST(RunBeside, TheFutureWaitsForTheWorkWhenDestroyed) {
  int done = 0;
  {
    auto f = run_beside([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      done = 1;
    });
  }
  EXPECT_EQ(done, 1) << "what the work uses was left while it ran";
}

}  // namespace
}  // namespace topo::process
