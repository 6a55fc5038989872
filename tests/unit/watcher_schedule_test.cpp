// The controller's timing: debounce, backoff and when the next pass is due.
#include <gtest/gtest.h>

#include "reconciler/watcher/backoff.hpp"
#include "reconciler/watcher/debounce.hpp"
#include "reconciler/watcher/scheduler.hpp"

namespace topo::watcher {
namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
Millis ms(long n) { return Millis(n); }

TEST(Debouncer, BurstEndsOneDelayAfterTheLastEvent) {
  Debouncer d(ms(250), ms(2000));
  EXPECT_FALSE(d.deadline());
  d.event(t0);
  EXPECT_EQ(*d.deadline(), t0 + ms(250));
  d.event(t0 + ms(100));
  d.event(t0 + ms(200));
  EXPECT_EQ(*d.deadline(), t0 + ms(450));
  d.clear();
  EXPECT_FALSE(d.pending());
}

TEST(Debouncer, SteadyTrickleIsCutOffAtMaxWait) {
  Debouncer d(ms(250), ms(1000));
  for (int i = 0; i <= 20; ++i) d.event(t0 + ms(100 * i));
  EXPECT_EQ(*d.deadline(), t0 + ms(1000));
}

TEST(Backoff, DoublesUpToTheCapAndResetsOnSuccess) {
  Backoff b(ms(1000), ms(60000));
  EXPECT_EQ(b.current(), ms(0));
  EXPECT_EQ(b.failure(), ms(1000));
  EXPECT_EQ(b.failure(), ms(2000));
  EXPECT_EQ(b.failure(), ms(4000));
  for (int i = 0; i < 100; ++i) b.failure();  // no overflow, ever
  EXPECT_EQ(b.current(), ms(60000));
  b.success();
  EXPECT_EQ(b.current(), ms(0));
  EXPECT_EQ(b.failure(), ms(1000));
}

SchedulerConfig config() {
  SchedulerConfig c;
  c.debounce = ms(250);
  c.kernel_debounce = ms(50);
  c.resync = ms(60000);
  c.backoff_initial = ms(1000);
  c.backoff_cap = ms(8000);
  return c;
}

TEST(Scheduler, FirstPassAtOnceThenResyncAfterQuiet) {
  Scheduler s(config(), t0);
  EXPECT_TRUE(s.due(t0));
  s.pass_done(t0 + ms(10), true);
  EXPECT_FALSE(s.due(t0 + ms(20)));
  EXPECT_EQ(s.next_pass(), t0 + ms(10) + ms(60000));
}

TEST(Scheduler, EventsAreDebounced) {
  Scheduler s(config(), t0);
  s.pass_done(t0, true);
  s.manifest_changed(t0 + ms(1000));
  s.manifest_changed(t0 + ms(1100));
  EXPECT_FALSE(s.due(t0 + ms(1300)));
  EXPECT_EQ(s.next_pass(), t0 + ms(1350));
  s.pass_done(t0 + ms(1400), true);
  // Kernel events (drift) have their own, shorter quiet.
  s.kernel_changed(t0 + ms(2000));
  s.kernel_changed(t0 + ms(2030));
  EXPECT_EQ(s.next_pass(), t0 + ms(2080));
}

TEST(Scheduler, SighupIsImmediate) {
  Scheduler s(config(), t0);
  s.pass_done(t0, true);
  s.reconcile_now(t0 + ms(5));
  EXPECT_TRUE(s.due(t0 + ms(5)));
}

TEST(Scheduler, FailuresBackOffAndKernelEventsWaitForIt) {
  Scheduler s(config(), t0);
  s.pass_done(t0, false);
  EXPECT_EQ(s.next_pass(), t0 + ms(1000));  // the retry
  s.pass_done(t0 + ms(1000), false);
  EXPECT_EQ(s.next_pass(), t0 + ms(3000));
  // A kernel event (maybe the failing pass's own noise) does not cut the backoff short.
  s.kernel_changed(t0 + ms(1100));
  EXPECT_EQ(s.next_pass(), t0 + ms(3000));
  // A manifest change does: it is new input.
  s.manifest_changed(t0 + ms(1200));
  EXPECT_EQ(s.next_pass(), t0 + ms(1450));
}

TEST(Scheduler, RetriesNeverSpinAndAreCapped) {
  Scheduler s(config(), t0);
  TimePoint now = t0;
  int passes = 0;
  // Simulate ten minutes of a pass that always fails, with a kernel event after each.
  while (now < t0 + ms(600000)) {
    now = std::max(now, s.next_pass());
    ++passes;
    s.pass_done(now, false);
    s.kernel_changed(now);
    ASSERT_GE(s.next_pass() - now, ms(1000)) << "a failing pass was retried at once";
    ASSERT_LE(s.next_pass() - now, ms(8000));
  }
  EXPECT_LE(passes, 600 / 8 + 5);
}

TEST(Scheduler, SuccessResetsTheBackoff) {
  Scheduler s(config(), t0);
  s.pass_done(t0, false);
  s.pass_done(t0 + ms(1000), false);
  s.pass_done(t0 + ms(3000), true);
  s.kernel_changed(t0 + ms(3100));
  EXPECT_EQ(s.next_pass(), t0 + ms(3150));
}

}  // namespace
}  // namespace topo::watcher
