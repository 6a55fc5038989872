#include "reconciler/watcher/status.hpp"
#include "reconciler/output/format_version.hpp"

#include <nlohmann/json.hpp>

#include <ctime>
#include <sstream>

namespace topo::watcher {

using nlohmann::json;

namespace {

json cluster_json(const ClusterHealth& c) {
  return json{{"enabled", c.enabled},
              {"etcd_reachable", c.reachable},
              {"error", c.error},
              {"unreachable_since_unix_ms", c.unreachable_since_unix_ms},
              {"nodes", c.nodes},
              {"revision", c.revision}};
}

json to_json_object(const WatchStatus& s) {
  json j{{"pid", s.pid},
              {"path", s.path},
              {"started_unix_ms", s.started_unix_ms},
              {"last_pass",
               {{"end_unix_ms", s.last_pass_unix_ms},
                {"seconds", s.last_pass_seconds},
                {"ok", s.last_pass_ok},
                {"changes", s.last_changes},
                {"drift_repaired", s.last_drift_repaired},
                {"full", s.last_pass_full},
                {"focus_containers", s.last_focus_containers}}},
              {"last_success_unix_ms", s.last_success_unix_ms},
              {"error", s.error},
              {"manifest_error", s.manifest_error},
              {"warnings", s.warnings},
              {"totals",
               {{"passes", s.passes},
                {"failures", s.failures},
                {"changes", s.changes},
                {"drift_repairs", s.drift_repairs},
                {"full_passes", s.full_passes}}}};
  if (s.cluster.enabled) j["cluster"] = cluster_json(s.cluster);
  j["checks"] = checks_to_json(s.checks);
  return j;
}

std::string utc(int64_t unix_ms) {
  if (unix_ms == 0) return "never";
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string status_path(const std::string& state_dir) { return state_dir + "/" + kStatusFile; }

// Paths need not be UTF-8: such bytes become U+FFFD rather than a status never written again.
std::string status_to_json(const WatchStatus& s) {
  return to_json_object(s).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

WatchStatus status_from_json(const std::string& text) {
  try {
    json j = json::parse(text);
    WatchStatus s;
    s.pid = j.at("pid").get<int>();
    s.path = j.at("path").get<std::string>();
    s.started_unix_ms = j.at("started_unix_ms").get<int64_t>();
    const json& lp = j.at("last_pass");
    s.last_pass_unix_ms = lp.at("end_unix_ms").get<int64_t>();
    s.last_pass_seconds = lp.at("seconds").get<double>();
    s.last_pass_ok = lp.at("ok").get<bool>();
    s.last_changes = lp.at("changes").get<uint64_t>();
    s.last_drift_repaired = lp.at("drift_repaired").get<uint64_t>();
    // Absent in files written before focused passes existed.
    s.last_pass_full = lp.value("full", true);
    s.last_focus_containers = lp.value("focus_containers", uint64_t{0});
    s.last_success_unix_ms = j.at("last_success_unix_ms").get<int64_t>();
    s.error = j.at("error").get<std::vector<std::string>>();
    s.manifest_error = j.at("manifest_error").get<bool>();
    // Absent in files written before warnings existed.
    s.warnings = j.value("warnings", std::vector<std::string>{});
    const json& t = j.at("totals");
    s.passes = t.at("passes").get<uint64_t>();
    s.failures = t.at("failures").get<uint64_t>();
    s.changes = t.at("changes").get<uint64_t>();
    s.drift_repairs = t.at("drift_repairs").get<uint64_t>();
    s.full_passes = t.value("full_passes", s.passes);
    if (auto c = j.find("cluster"); c != j.end()) {
      s.cluster.enabled = c->at("enabled").get<bool>();
      s.cluster.reachable = c->at("etcd_reachable").get<bool>();
      s.cluster.error = c->at("error").get<std::string>();
      s.cluster.unreachable_since_unix_ms = c->at("unreachable_since_unix_ms").get<int64_t>();
      s.cluster.nodes = c->at("nodes").get<uint64_t>();
      s.cluster.revision = c->at("revision").get<int64_t>();
    }
    // Absent in files written before the controller ran checks.
    if (auto c = j.find("checks"); c != j.end()) s.checks = checks_from_json(*c);
    return s;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed status file: ") + e.what());
  }
}

std::string format_status_text(const WatchStatus& s, bool running) {
  std::ostringstream out;
  out << "Controller: pid " << s.pid << (running ? " (running)" : " (not running)") << ", watching " << s.path
      << ", since " << utc(s.started_unix_ms) << "\n";
  if (s.last_pass_unix_ms == 0) {
    out << "Last pass:  none yet\n";
  } else {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", s.last_pass_seconds);
    out << "Last pass:  " << utc(s.last_pass_unix_ms) << ", " << (s.last_pass_ok ? "ok" : "failed") << ", "
        << s.last_changes << " change(s), " << s.last_drift_repaired << " drift repair(s), " << secs << " s, "
        << (s.last_pass_full ? std::string("full") : "focused on " + std::to_string(s.last_focus_containers) +
                                                         " container(s)")
        << "\n";
    out << "Last good:  " << utc(s.last_success_unix_ms) << "\n";
  }
  out << "Totals:     " << s.passes << " pass(es) (" << s.full_passes << " full), " << s.failures << " failure(s), " << s.changes
      << " change(s), " << s.drift_repairs << " drift repair(s)\n";
  if (s.error.empty()) {
    out << "Error:      none\n";
  } else {
    out << "Error:\n";
    for (const auto& line : s.error) out << "  " << line << "\n";
    if (s.manifest_error) out << "The last good manifests stay in force until this is fixed.\n";
  }
  for (const auto& w : s.warnings) out << "Warning:    " << w << "\n";
  out << format_checks_text(s.checks, utc(s.checks.last_run_unix_ms));
  if (s.cluster.enabled) {
    if (s.cluster.reachable)
      out << "Cluster:    etcd reachable, " << s.cluster.nodes << " node(s) alive, revision " << s.cluster.revision << "\n";
    else
      out << "Cluster:    etcd UNREACHABLE since " << utc(s.cluster.unreachable_since_unix_ms)
          << "; the data plane stays as it is, retrying (" << s.cluster.error << ")\n";
  }
  return out.str();
}

std::string format_status_json(const WatchStatus& s, bool running) {
  json j = to_json_object(s);
  j["format_version"] = kJsonFormatVersion;
  j["recorded"] = true;
  j["running"] = running;
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string format_no_status_json(const std::string& why) {
  return json{{"format_version", kJsonFormatVersion},
              {"command", "status"},
              {"ok", false},
              {"recorded", false},
              {"running", false},
              {"errors", json::array({json{{"message", why}}})}}
             .dump(2) +
         "\n";
}

std::string format_metrics(const WatchStatus& s) {
  std::ostringstream out;
  write_metric(out, "topo_watch_passes_total", "counter", "Reconcile passes run since the controller started.",
         std::to_string(s.passes));
  write_metric(out, "topo_watch_full_passes_total", "counter",
         "Of the passes, those that read everything (at start, on a manifest change, a lost event, a change to "
         "what containers share, the periodic resync); the others read only the containers kernel events named.",
         std::to_string(s.full_passes));
  write_metric(out, "topo_watch_pass_failures_total", "counter",
         "Passes that failed (manifest error, conflict or kernel refusal).", std::to_string(s.failures));
  write_metric(out, "topo_watch_changes_total", "counter", "Actions carried out on the kernel.", std::to_string(s.changes));
  write_metric(out, "topo_watch_drift_repairs_total", "counter",
         "Actions that repaired drift: the kernel had moved away from unchanged manifests.",
         std::to_string(s.drift_repairs));
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.6f", s.last_pass_seconds);
  write_metric(out, "topo_watch_last_pass_duration_seconds", "gauge", "How long the last pass took.", secs);
  write_metric(out, "topo_watch_last_pass_success", "gauge", "1 if the last pass succeeded, else 0.",
         s.last_pass_ok ? "1" : "0");
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", static_cast<double>(s.last_pass_unix_ms) / 1000.0);
  write_metric(out, "topo_watch_last_pass_timestamp_seconds", "gauge", "When the last pass ended (Unix time).", ts);
  write_metric(out, "topo_watch_manifest_error", "gauge",
         "1 while the manifests fail to load and the last good ones stay in force.", s.manifest_error ? "1" : "0");
  write_metric(out, "topo_watch_warnings", "gauge",
         "Warnings of the last plan: things on the host topo does not own that defeat the manifests "
         "(topo status shows them).",
         std::to_string(s.warnings.size()));
  if (s.cluster.enabled) {
    write_metric(out, "topo_cluster_etcd_up", "gauge",
           "Cluster mode: 1 if etcd answered the last pass, else 0 (the data plane stays as it is meanwhile).",
           s.cluster.reachable ? "1" : "0");
    write_metric(out, "topo_cluster_nodes", "gauge", "Cluster mode: registered nodes alive, this one included.",
           std::to_string(s.cluster.nodes));
  }
  out << format_histogram("topo_watch_pass_duration_seconds",
                          "How long passes took since the controller started, full and focused.", s.pass_durations)
      << format_managed_objects(s.managed) << format_build_info() << format_checks_metrics(s.checks);
  return out.str();
}

}  // namespace topo::watcher
