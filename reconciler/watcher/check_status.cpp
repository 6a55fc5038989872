#include "reconciler/watcher/check_status.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

namespace topo::watcher {

using nlohmann::json;

json checks_to_json(const ChecksStatus& c) {
  json lines = json::array();
  for (const CheckLine& l : c.checks)
    lines.push_back(json{{"from", l.from},
                         {"target", l.target},
                         {"source", l.source},
                         {"why", l.why},
                         {"expect", l.expect_reachable ? "reachable" : "unreachable"},
                         {"passed", l.passed},
                         {"detail", l.detail}});
  return json{{"enabled", c.enabled},
              {"interval_seconds", c.interval_seconds},
              {"last_run_unix_ms", c.last_run_unix_ms},
              {"seconds", c.last_run_seconds},
              {"passed", c.passed},
              {"failed", c.failed},
              {"checks", std::move(lines)}};
}

ChecksStatus checks_from_json(const json& j) {
  ChecksStatus c;
  c.enabled = j.at("enabled").get<bool>();
  c.interval_seconds = j.at("interval_seconds").get<int64_t>();
  c.last_run_unix_ms = j.at("last_run_unix_ms").get<int64_t>();
  c.last_run_seconds = j.at("seconds").get<double>();
  c.passed = j.at("passed").get<uint64_t>();
  c.failed = j.at("failed").get<uint64_t>();
  for (const json& l : j.at("checks")) {
    CheckLine line;
    line.from = l.at("from").get<std::string>();
    line.target = l.at("target").get<std::string>();
    line.source = l.at("source").get<std::string>();
    line.why = l.at("why").get<std::string>();
    line.expect_reachable = l.at("expect").get<std::string>() == "reachable";
    line.passed = l.at("passed").get<bool>();
    line.detail = l.at("detail").get<std::string>();
    c.checks.push_back(std::move(line));
  }
  return c;
}

std::string format_checks_text(const ChecksStatus& c, const std::string& when) {
  if (!c.enabled) return "";
  std::ostringstream out;
  if (c.last_run_unix_ms == 0) {
    out << "Checks:     not run yet (every " << c.interval_seconds << " s and after every pass that changed something)\n";
    return out.str();
  }
  if (c.checks.empty()) {
    out << "Checks:     none in the manifests (" << when << ")\n";
    return out.str();
  }
  out << "Checks:     " << c.passed << " passed, " << c.failed << " failed (" << when << ")\n";
  for (const CheckLine& l : c.checks) {
    if (l.passed) continue;
    out << "  FAIL  " << l.from << " -> " << l.target << ": expected "
        << (l.expect_reachable ? "reachable" : "unreachable") << ", " << l.detail << "  [" << l.source
        << (l.why.empty() ? "" : ": " + l.why) << "]\n";
  }
  return out.str();
}

std::string format_checks_metrics(const ChecksStatus& c) {
  if (!c.enabled) return "";
  std::ostringstream out;
  auto metric = [&](const std::string& name, const std::string& help, const std::string& value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n" << name << ' ' << value << '\n';
  };
  metric("topo_checks_passed", "Checks of the manifests (and implied ones with --implied) that held at the last run.",
         std::to_string(c.passed));
  metric("topo_checks_failed", "Checks that did not hold at the last run (topo status names them).",
         std::to_string(c.failed));
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", static_cast<double>(c.last_run_unix_ms) / 1000.0);
  metric("topo_checks_last_run_timestamp_seconds", "When the checks last ran (Unix time; 0: not yet).", ts);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.6f", c.last_run_seconds);
  metric("topo_checks_last_run_duration_seconds", "How long the last run of the checks took.", secs);
  if (c.checks.empty()) return out.str();
  // One series per label set: two checks that read alike (same from, target
  // and source) would be a duplicate series, which makes the textfile
  // collector drop the whole file; they share one, 1 only if both held.
  std::map<std::tuple<std::string, std::string, std::string>, bool> series;
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  for (const CheckLine& l : c.checks) {
    auto key = std::make_tuple(l.from, l.target, l.source);
    auto [it, fresh] = series.emplace(key, l.passed);
    if (fresh) order.push_back(key);
    else it->second = it->second && l.passed;
  }
  out << "# HELP topo_check_passed 1 if the check held at the last run, else 0.\n"
      << "# TYPE topo_check_passed gauge\n";
  for (const auto& key : order)
    out << "topo_check_passed{from=\"" << escape_label_value(std::get<0>(key)) << "\",target=\""
        << escape_label_value(std::get<1>(key)) << "\",source=\"" << escape_label_value(std::get<2>(key)) << "\"} "
        << (series[key] ? 1 : 0) << '\n';
  return out.str();
}

}  // namespace topo::watcher
