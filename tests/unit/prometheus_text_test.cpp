// The metrics both the controller and `apply --metrics-file` write: a
// histogram Prometheus reads as one, which topo this is, and the objects it
// manages, all accepted by the strict reader node_exporter stands for.
#include <gtest/gtest.h>

#include "reconciler/output/apply_metrics.hpp"
#include "reconciler/output/build_info.hpp"
#include "reconciler/output/prometheus_text.hpp"
#include "reconciler/watcher/status.hpp"
#include "tests/prom_check.hpp"

namespace topo {
namespace {

TEST(PrometheusText, HistogramBucketsAreCumulativeAndEndInInf) {
  DurationHistogram h;
  for (double d : {0.004, 0.3, 0.3, 120.0}) h.observe(d);
  const std::string text = format_histogram("x_seconds", "test", h);
  auto p = testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << text;
  EXPECT_EQ(p.types["x_seconds"], "histogram");
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.25\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.5\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"60\"} 3\n"), std::string::npos) << "120 s is above every bound\n" << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_count 4\n"), std::string::npos) << text;
  EXPECT_DOUBLE_EQ(p.samples.at("x_seconds_sum"), 120.604);
}

TEST(PrometheusText, BuildInfoNamesTheVersionAndCommit) {
  const std::string text = format_build_info();
  EXPECT_TRUE(testing::parse_prometheus_text(text).errors.empty()) << text;
  EXPECT_NE(text.find("version=\"" + std::string(build_version()) + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("commit=\"" + std::string(build_commit()) + "\""), std::string::npos) << text;
  EXPECT_FALSE(build_version().empty());
  EXPECT_FALSE(build_commit().empty());
}

TEST(PrometheusText, ManagedObjectsAreCountedByKindAndStack) {
  std::vector<Resource> rs(5);
  rs[0].kind = rs[1].kind = Kind::Link;
  rs[0].stack = rs[1].stack = "shop";
  rs[2].kind = Kind::Link;
  rs[2].stack = "blog\"x";
  rs[3].kind = Kind::Namespace;
  rs[3].stack = "shop";
  rs[4].kind = Kind::Link;  // shared: no stack
  const ManagedObjects m = count_managed(rs);
  EXPECT_EQ(m.at({"link", "shop"}), 2u);
  EXPECT_EQ(m.at({"namespace", "shop"}), 1u);
  EXPECT_EQ(m.at({"link", ""}), 1u);
  const std::string text = format_managed_objects(m);
  EXPECT_TRUE(testing::parse_prometheus_text(text).errors.empty()) << text;
  EXPECT_NE(text.find("topo_managed_objects{kind=\"link\",stack=\"shop\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stack=\"blog\\\"x\""), std::string::npos) << "label values are escaped\n" << text;
}

TEST(PrometheusText, ApplyMetricsParseAndSayWhatTheRunDid) {
  ApplyRun run;
  run.ok = true;
  run.seconds = 1.5;
  run.changes = 7;
  run.finished_unix_ms = 1'700'000'000'250;
  run.checks_passed = false;
  run.managed = ManagedObjects{{{"link", "default"}, 3}};
  const std::string text = format_apply_metrics(run);
  auto p = testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << text;
  EXPECT_EQ(p.samples.at("topo_apply_last_success"), 1);
  EXPECT_EQ(p.samples.at("topo_apply_last_changes"), 7);
  EXPECT_EQ(p.samples.at("topo_apply_last_checks_passed"), 0);
  EXPECT_DOUBLE_EQ(p.samples.at("topo_apply_last_duration_seconds"), 1.5);
  EXPECT_DOUBLE_EQ(p.samples.at("topo_apply_last_timestamp_seconds"), 1'700'000'000.25);
  EXPECT_EQ(p.samples.at("topo_managed_objects"), 3);
  EXPECT_EQ(p.samples.at("topo_build_info"), 1);

  ApplyRun failed;
  const std::string bare = format_apply_metrics(failed);
  EXPECT_EQ(bare.find("topo_managed_objects"), std::string::npos) << "a failed run knows nothing of what is in force";
  EXPECT_EQ(bare.find("topo_apply_last_checks_passed"), std::string::npos) << "no --verify, no checks metric";
}

TEST(PrometheusText, TheControllerMetricsHaveTheHistogramManagedObjectsAndBuildInfo) {
  watcher::WatchStatus s;
  s.pass_durations.observe(0.02);
  s.managed = {{{"route", "web"}, 2}};
  const std::string text = watcher::format_metrics(s);
  auto p = testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << text;
  EXPECT_EQ(p.types["topo_watch_pass_duration_seconds"], "histogram");
  EXPECT_EQ(p.samples.at("topo_watch_pass_duration_seconds_count"), 1);
  EXPECT_EQ(p.samples.at("topo_managed_objects"), 2);
  EXPECT_EQ(p.samples.at("topo_build_info"), 1);
}

}  // namespace
}  // namespace topo
