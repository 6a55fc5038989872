// When `topo watch` says READY=1 (reconciler/watcher/readiness.hpp): at the
// first converged pass, or when the bound runs out, never twice; STATUS=
// says why not meanwhile.
#include <gtest/gtest.h>

#include "reconciler/watcher/readiness.hpp"

namespace topo::watcher {
namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
Millis ms(long n) { return Millis(n); }

TEST(Readiness, ReadyAtTheFirstConvergedPass) {
  Readiness r(ms(60'000), t0);
  EXPECT_EQ(*r.deadline(), t0 + ms(60'000));
  Notice n = r.after_pass(true, "converged: 3 change(s) in the last pass", ms(60'000));
  EXPECT_TRUE(n.ready);
  EXPECT_EQ(n.status, "converged: 3 change(s) in the last pass");
  EXPECT_FALSE(r.deadline());
  // Later passes only update the status, failed or not.
  n = r.after_pass(false, "error: EBUSY", ms(1000));
  EXPECT_FALSE(n.ready);
  EXPECT_EQ(n.status, "error: EBUSY");
  EXPECT_FALSE(r.on_time(t0 + ms(120'000)));
}

TEST(Readiness, FailedPassesSayWhyAndWhenTheNextTryIs) {
  Readiness r(ms(60'000), t0);
  Notice n = r.after_pass(false, "manifest error: /etc/topo/a.yaml:3:1: bad", ms(2000));
  EXPECT_FALSE(n.ready);
  EXPECT_EQ(n.status, "not converged yet: manifest error: /etc/topo/a.yaml:3:1: bad; next pass in 2 s");
  // Rounded up: a wait under a second does not read as "0 s".
  n = r.after_pass(false, "error: x", ms(1));
  EXPECT_EQ(n.status, "not converged yet: error: x; next pass in 1 s");
  EXPECT_FALSE(r.said_ready());
}

TEST(Readiness, ReadyAnywayWhenTheBoundRunsOutSayingItIsNotConverged) {
  Readiness r(ms(60'000), t0);
  r.after_pass(false, "error: etcd unreachable", ms(32'000));
  EXPECT_FALSE(r.on_time(t0 + ms(59'999)));
  auto n = r.on_time(t0 + ms(60'000));
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->ready);
  EXPECT_EQ(n->status, "started without converging within 60 s: error: etcd unreachable; still retrying");
  // Never twice, and a converged pass afterwards is a plain status.
  EXPECT_FALSE(r.on_time(t0 + ms(61'000)));
  EXPECT_FALSE(r.deadline());
  Notice later = r.after_pass(true, "converged: 1 change(s) in the last pass", ms(60'000));
  EXPECT_FALSE(later.ready);
  EXPECT_EQ(later.status, "converged: 1 change(s) in the last pass");
}

TEST(Readiness, BoundRunningOutBeforeAnyPassEndsSaysSo) {
  Readiness r(ms(1000), t0);
  auto n = r.on_time(t0 + ms(5000));
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->ready);
  EXPECT_EQ(n->status, "started without converging within 1 s: no pass has ended yet; still retrying");
}

}  // namespace
}  // namespace topo::watcher
