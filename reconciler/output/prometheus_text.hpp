#pragma once
// Pieces of Prometheus' text exposition format shared by the controller's
// metrics (watcher/status.hpp) and one-shot `apply --metrics-file`: escaping,
// a metric with HELP and TYPE, which topo this is, the objects topo manages,
// and a histogram of durations.
#include <array>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/resources/resource.hpp"

namespace topo {

// A label value: backslash, double quote and newline escaped; bytes that are
// not UTF-8 replaced (Prometheus refuses a whole file for one).
std::string escape_label_value(const std::string& v);

// "# HELP", "# TYPE" and one sample without labels.
void write_metric(std::ostream& out, const std::string& name, const std::string& type, const std::string& help,
                  const std::string& value);

// topo_build_info{version,commit} 1.
std::string format_build_info();

// Objects topo manages, by (kind, stack); stack "" is what every stack shares.
using ManagedObjects = std::map<std::pair<std::string, std::string>, uint64_t>;
ManagedObjects count_managed(const std::vector<Resource>& resources);
// topo_managed_objects{kind,stack}; a kind that went away from a stack is
// absent, as Prometheus expects of a gauge whose series ends.
std::string format_managed_objects(const ManagedObjects& managed);

// Durations in seconds, Prometheus-style: cumulative buckets, a sum, a count.
struct DurationHistogram {
  // From a focused repair (milliseconds) to a cold apply of thousands of
  // containers (a minute).
  static constexpr std::array<double, 12> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60};
  std::array<uint64_t, kBounds.size()> in_bucket{};  // observations <= bound and > the previous bound
  double sum = 0;
  uint64_t count = 0;
  void observe(double seconds);
};
std::string format_histogram(const std::string& name, const std::string& help, const DurationHistogram& h);

}  // namespace topo
