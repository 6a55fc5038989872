// The status file, `topo status` text and the Prometheus metrics.
#include <gtest/gtest.h>

#include "reconciler/watcher/status.hpp"
#include "tests/prom_check.hpp"

namespace topo::watcher {
namespace {

WatchStatus sample() {
  WatchStatus s;
  s.pid = 4242;
  s.path = "/etc/topo";
  s.started_unix_ms = 1'700'000'000'000;
  s.last_pass_unix_ms = 1'700'000'060'500;
  s.last_pass_seconds = 0.125;
  s.last_pass_ok = false;
  s.last_changes = 3;
  s.last_drift_repaired = 2;
  s.last_success_unix_ms = 1'700'000'030'000;
  s.error = {"/etc/topo/a.yaml:4:7: expected an IPv4 address", "1 error(s) in the manifests; the last good ones stay in force."};
  s.manifest_error = true;
  s.passes = 10;
  s.failures = 1;
  s.changes = 14;
  s.drift_repairs = 5;
  for (double d : {0.003, 0.2, 0.2, 7.0}) s.pass_durations.observe(d);
  s.managed = {{{"link", "shop"}, 4}, {{"firewall", ""}, 2}};
  return s;
}

TEST(WatchStatus, JsonRoundTrips) {
  WatchStatus s = sample();
  WatchStatus back = status_from_json(status_to_json(s));
  EXPECT_EQ(back.pid, s.pid);
  EXPECT_EQ(back.path, s.path);
  EXPECT_EQ(back.last_pass_unix_ms, s.last_pass_unix_ms);
  EXPECT_DOUBLE_EQ(back.last_pass_seconds, s.last_pass_seconds);
  EXPECT_EQ(back.last_pass_ok, s.last_pass_ok);
  EXPECT_EQ(back.last_changes, 3u);
  EXPECT_EQ(back.last_drift_repaired, 2u);
  EXPECT_EQ(back.error, s.error);
  EXPECT_TRUE(back.manifest_error);
  EXPECT_EQ(back.passes, 10u);
  EXPECT_EQ(back.drift_repairs, 5u);
}

TEST(WatchStatus, MalformedFileIsAnError) {
  EXPECT_THROW(status_from_json("{"), std::runtime_error);
  EXPECT_THROW(status_from_json("{\"pid\": 1}"), std::runtime_error);
}

TEST(WatchStatus, TextShowsTheLastPassAndTheErrorWithItsPlace) {
  std::string text = format_status_text(sample(), true);
  EXPECT_NE(text.find("pid 4242 (running)"), std::string::npos) << text;
  EXPECT_NE(text.find("2023-11-14T22:14:20Z, failed, 3 change(s), 2 drift repair(s), 0.125 s"), std::string::npos)
      << text;
  EXPECT_NE(text.find("/etc/topo/a.yaml:4:7: expected an IPv4 address"), std::string::npos) << text;
  EXPECT_NE(text.find("last good manifests stay in force"), std::string::npos) << text;

  WatchStatus clean = sample();
  clean.error.clear();
  clean.manifest_error = false;
  clean.last_pass_ok = true;
  std::string ok = format_status_text(clean, false);
  EXPECT_NE(ok.find("(not running)"), std::string::npos) << ok;
  EXPECT_NE(ok.find("Error:      none"), std::string::npos) << ok;
}

TEST(WatchStatus, JsonOutputSaysWhetherTheControllerRuns) {
  std::string j = format_status_json(sample(), false);
  EXPECT_NE(j.find("\"running\": false"), std::string::npos) << j;
}

TEST(WatchMetrics, ParseAsPrometheusTextWithHelpAndType) {
  std::string text = format_metrics(sample());
  auto p = topo::testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << "\n" << text;
  EXPECT_EQ(p.samples.at("topo_watch_passes_total"), 10);
  EXPECT_EQ(p.samples.at("topo_watch_pass_failures_total"), 1);
  EXPECT_EQ(p.samples.at("topo_watch_changes_total"), 14);
  EXPECT_EQ(p.samples.at("topo_watch_drift_repairs_total"), 5);
  EXPECT_DOUBLE_EQ(p.samples.at("topo_watch_last_pass_duration_seconds"), 0.125);
  EXPECT_EQ(p.samples.at("topo_watch_last_pass_success"), 0);
  EXPECT_EQ(p.samples.at("topo_watch_manifest_error"), 1);
  EXPECT_DOUBLE_EQ(p.samples.at("topo_watch_last_pass_timestamp_seconds"), 1'700'000'060.5);
  for (const auto& [sample, value] : p.samples) {
    const std::string name = p.family_of(sample);
    EXPECT_TRUE(p.helped.count(name)) << name << " has no HELP";
    EXPECT_TRUE(p.types.count(name)) << name << " has no TYPE";
    if (name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0) {
      EXPECT_EQ(p.types[name], "counter") << name;
    }
  }
}

TEST(WatchMetrics, TheCheckerRejectsBrokenText) {
  // The checker itself must be able to fail.
  EXPECT_FALSE(topo::testing::parse_prometheus_text("x 1").errors.empty());               // no newline
  EXPECT_FALSE(topo::testing::parse_prometheus_text("x one\n").errors.empty());           // bad value
  EXPECT_FALSE(topo::testing::parse_prometheus_text("9x 1\n").errors.empty());            // bad name
  EXPECT_FALSE(topo::testing::parse_prometheus_text("x 1\n# TYPE x gauge\n").errors.empty());
  EXPECT_FALSE(topo::testing::parse_prometheus_text("# TYPE x bogus\n").errors.empty());
  EXPECT_TRUE(topo::testing::parse_prometheus_text("# HELP x h\n# TYPE x gauge\nx{a=\"b\"} 1.5\n").errors.empty());
}

}  // namespace
}  // namespace topo::watcher
