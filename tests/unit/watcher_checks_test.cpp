// The controller's checks (--verify-interval): when they run (the schedule),
// and how their results read in the status file, `topo status` and the
// Prometheus metrics.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reconciler/watcher/check_outcomes.hpp"
#include "reconciler/watcher/check_schedule.hpp"
#include "reconciler/watcher/status.hpp"
#include "tests/prom_check.hpp"

namespace topo::watcher {
namespace {

using std::chrono::seconds;

verify::CheckOutcome outcome(const std::string& from, const std::string& target, const std::string& source,
                             bool passed, const std::string& detail, bool expect_reachable = true) {
  verify::CheckOutcome o;
  o.check.from = from;
  o.check.target = target;
  o.check.source = source;
  o.check.expect_reachable = expect_reachable;
  o.result.detail = detail;
  o.passed = passed;
  return o;
}

WatchStatus with_checks() {
  WatchStatus s;
  s.pid = 7;
  s.path = "/etc/topo";
  s.last_pass_unix_ms = 1'796'616'603'000;
  s.last_pass_ok = true;
  s.checks.enabled = true;
  s.checks.interval_seconds = 300;
  // 2026-12-07T04:10:03Z
  record_outcomes(s.checks,
                  {outcome("a", "b (10.71.0.20)", "m.yaml:12:5", true, "echo reply"),
                   outcome("a", "10.99.0.9:80/tcp", "m.yaml:13:5", false, "no answer within 1000 ms"),
                   outcome("b", "c \"quoted\"\\path", "implied", true, "refused", false)},
                  1'796'616'603'000, 1.25);
  return s;
}

TEST(WatchChecks, OutcomesAreTalliedAndKeptOneLineEach) {
  WatchStatus s = with_checks();
  EXPECT_EQ(s.checks.passed, 2u);
  EXPECT_EQ(s.checks.failed, 1u);
  ASSERT_EQ(s.checks.checks.size(), 3u);
  EXPECT_FALSE(s.checks.checks[1].passed);
  EXPECT_EQ(s.checks.checks[1].detail, "no answer within 1000 ms");
  EXPECT_FALSE(s.checks.checks[2].expect_reachable);
  // A new run replaces the last one.
  record_outcomes(s.checks, {outcome("a", "b", "m.yaml:1:1", true, "ok")}, 1'796'616'700'000, 0.5);
  EXPECT_EQ(s.checks.passed, 1u);
  EXPECT_EQ(s.checks.failed, 0u);
  EXPECT_EQ(s.checks.checks.size(), 1u);
  EXPECT_TRUE(s.checks.enabled);
  EXPECT_EQ(s.checks.interval_seconds, 300);
}

TEST(WatchChecks, TextShowsTheTallyWithItsTimeAndEachFailingCheck) {
  const std::string text = format_status_text(with_checks(), true);
  EXPECT_NE(text.find("Checks:     2 passed, 1 failed (2026-12-07T04:10:03Z)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  a -> 10.99.0.9:80/tcp: expected reachable, no answer within 1000 ms  [m.yaml:13:5]\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("a -> b (10.71.0.20)"), std::string::npos) << "only the failing checks are listed\n" << text;

  WatchStatus off;
  EXPECT_EQ(format_status_text(off, true).find("Checks:"), std::string::npos);
  WatchStatus waiting;
  waiting.checks.enabled = true;
  waiting.checks.interval_seconds = 60;
  EXPECT_NE(format_status_text(waiting, true).find("Checks:     not run yet"), std::string::npos);
  WatchStatus none = waiting;
  record_outcomes(none.checks, {}, 1'796'616'603'000, 0);
  EXPECT_NE(format_status_text(none, true).find("Checks:     none in the manifests"), std::string::npos);
}

TEST(WatchChecks, JsonHasTypedValuesAndRoundTrips) {
  const WatchStatus s = with_checks();
  const nlohmann::json j = nlohmann::json::parse(format_status_json(s, true));
  ASSERT_TRUE(j.contains("checks")) << j.dump(2);
  const auto& c = j["checks"];
  EXPECT_TRUE(c["enabled"].is_boolean());
  EXPECT_EQ(c["passed"], 2);
  EXPECT_EQ(c["failed"], 1);
  EXPECT_TRUE(c["last_run_unix_ms"].is_number_integer());
  EXPECT_EQ(c["last_run_unix_ms"], 1'796'616'603'000);
  EXPECT_DOUBLE_EQ(c["seconds"].get<double>(), 1.25);
  ASSERT_EQ(c["checks"].size(), 3u);
  EXPECT_EQ(c["checks"][1]["passed"], false);
  EXPECT_EQ(c["checks"][1]["source"], "m.yaml:13:5");
  EXPECT_EQ(c["checks"][2]["expect"], "unreachable");

  const WatchStatus back = status_from_json(status_to_json(s));
  EXPECT_EQ(back.checks.passed, 2u);
  EXPECT_EQ(back.checks.failed, 1u);
  EXPECT_EQ(back.checks.last_run_unix_ms, s.checks.last_run_unix_ms);
  ASSERT_EQ(back.checks.checks.size(), 3u);
  EXPECT_EQ(back.checks.checks[2].target, "c \"quoted\"\\path");
  EXPECT_FALSE(back.checks.checks[2].expect_reachable);
}

TEST(WatchChecks, AStatusFileWithoutChecksStillReads) {
  nlohmann::json j = nlohmann::json::parse(status_to_json(with_checks()));
  j.erase("checks");
  const WatchStatus back = status_from_json(j.dump());
  EXPECT_FALSE(back.checks.enabled);
  EXPECT_EQ(back.checks.checks.size(), 0u);
}

TEST(WatchChecks, MetricsParseWithEscapedLabelsAndOneSeriesPerCheck) {
  const std::string text = format_metrics(with_checks());
  auto p = topo::testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << text;
  EXPECT_EQ(p.samples["topo_checks_passed"], 2);
  EXPECT_EQ(p.samples["topo_checks_failed"], 1);
  EXPECT_DOUBLE_EQ(p.samples["topo_checks_last_run_timestamp_seconds"], 1'796'616'603.0);
  EXPECT_EQ(p.types["topo_check_passed"], "gauge");
  EXPECT_NE(text.find("topo_check_passed{from=\"a\",target=\"10.99.0.9:80/tcp\",source=\"m.yaml:13:5\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("topo_check_passed{from=\"a\",target=\"b (10.71.0.20)\",source=\"m.yaml:12:5\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("target=\"c \\\"quoted\\\"\\\\path\""), std::string::npos) << text;
  EXPECT_EQ(escape_label_value("a\nb"), "a\\nb");
  // A file name that is not UTF-8 must not make Prometheus refuse the file.
  EXPECT_EQ(escape_label_value("m\xff.yaml"), "m\xEF\xBF\xBD.yaml");
  EXPECT_EQ(escape_label_value("caf\xC3\xA9"), "caf\xC3\xA9");

  // Checks that read alike share one series (a duplicate would void the file): 0 if either failed.
  WatchStatus twice = with_checks();
  record_outcomes(twice.checks,
                  {outcome("a", "b", "implied", true, "ok"), outcome("a", "b", "implied", false, "no reply")}, 1, 0);
  const std::string t2 = format_metrics(twice);
  EXPECT_TRUE(topo::testing::parse_prometheus_text(t2).errors.empty()) << t2;
  EXPECT_EQ(t2.find("topo_check_passed{"), t2.rfind("topo_check_passed{")) << t2;
  EXPECT_NE(t2.find("topo_check_passed{from=\"a\",target=\"b\",source=\"implied\"} 0\n"), std::string::npos) << t2;

  WatchStatus off;
  EXPECT_EQ(format_metrics(off).find("topo_check"), std::string::npos);
}

TEST(CheckSchedule, OffNeverRuns) {
  const TimePoint t0{};
  CheckSchedule s(Millis{0}, t0);
  EXPECT_FALSE(s.enabled());
  s.ask(t0);
  EXPECT_FALSE(s.next_run());
  EXPECT_FALSE(s.due(t0 + seconds(3600)));
}

TEST(CheckSchedule, AnAskRunsAtOnceAndTheIntervalCountsFromTheEnd) {
  const TimePoint t0{};
  CheckSchedule s(Millis{60'000}, t0);
  EXPECT_FALSE(s.due(t0 + seconds(59)));
  EXPECT_TRUE(s.due(t0 + seconds(60)));
  s.ask(t0 + seconds(5));
  EXPECT_TRUE(s.due(t0 + seconds(5)));
  s.started(t0 + seconds(5));
  EXPECT_FALSE(s.due(t0 + seconds(500))) << "never a second run while one goes on";
  s.finished(t0 + seconds(8));
  EXPECT_FALSE(s.due(t0 + seconds(67)));
  EXPECT_TRUE(s.due(t0 + seconds(68)));
}

TEST(CheckSchedule, AsksDuringARunCoalesceIntoOneRunAfterIt) {
  const TimePoint t0{};
  CheckSchedule s(Millis{60'000}, t0);
  s.ask(t0);
  s.started(t0);
  s.ask(t0 + seconds(1));
  s.ask(t0 + seconds(2));
  EXPECT_FALSE(s.next_run());
  s.finished(t0 + seconds(3));
  ASSERT_TRUE(s.next_run());
  EXPECT_EQ(*s.next_run(), t0 + seconds(1)) << "one run, due at once";
  s.started(t0 + seconds(3));
  s.finished(t0 + seconds(4));
  EXPECT_EQ(*s.next_run(), t0 + seconds(64)) << "the asks were all covered; the interval again";
}

}  // namespace
}  // namespace topo::watcher
