#include "reconciler/verify/check_results.hpp"
#include "reconciler/output/format_version.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace topo::verify {

std::string to_string(ProbeKind k) {
  switch (k) {
    case ProbeKind::Tcp: return "tcp";
    case ProbeKind::Udp: return "udp";
    case ProbeKind::Resolve: return "resolve";
    case ProbeKind::Icmp: break;
  }
  return "icmp";
}

CheckOutcome judge(PlannedCheck check, ProbeResult result) {
  CheckOutcome out;
  if (!check.cannot_run.empty()) {
    result.reached = false;
    result.detail = check.cannot_run;
    out.passed = false;
  } else if (result.not_tried) {
    result.reached = false;
    out.passed = false;
  } else {
    bool reached = result.reached;
    if (reached && check.probe.kind == ProbeKind::Resolve && !check.expected_addresses.empty()) {
      reached = std::any_of(result.addresses.begin(), result.addresses.end(), [&](const std::string& a) {
        return std::find(check.expected_addresses.begin(), check.expected_addresses.end(), a) !=
               check.expected_addresses.end();
      });
      if (!reached) result.detail += ", not to the container's address";
    }
    out.passed = reached == check.expect_reachable;
  }
  out.check = std::move(check);
  out.result = std::move(result);
  return out;
}

Tally tally(const std::vector<CheckOutcome>& outcomes) {
  Tally t;
  for (const auto& o : outcomes) (o.passed ? t.passed : t.failed)++;
  return t;
}

namespace {

std::string expectation(const PlannedCheck& c) { return c.expect_reachable ? "reachable" : "unreachable"; }

// "web -> db (172.18.0.3):5432/tcp"
std::string subject(const PlannedCheck& c) { return c.from + " -> " + c.target; }

std::string where(const PlannedCheck& c) { return c.why.empty() ? c.source : c.source + ": " + c.why; }

std::string summary(const Tally& t) {
  return std::to_string(t.passed) + " passed, " + std::to_string(t.failed) + " failed";
}

}  // namespace

std::string format_text(const std::vector<CheckOutcome>& outcomes, bool colour) {
  std::string out;
  for (const auto& o : outcomes) {
    const char* mark = o.passed ? "PASS" : "FAIL";
    if (colour) out += o.passed ? "\033[32m" : "\033[31m";
    out += mark;
    if (colour) out += "\033[0m";
    out += "  " + subject(o.check) + ": expected " + expectation(o.check) + ", " + o.result.detail + "  [" +
           where(o.check) + "]\n";
  }
  return out + summary(tally(outcomes)) + "\n";
}

std::string format_json(const std::vector<CheckOutcome>& outcomes) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& o : outcomes) {
    const PlannedCheck& c = o.check;
    nlohmann::json j = {{"from", c.from},
                        {"target", c.target},
                        {"kind", to_string(c.probe.kind)},
                        {"expect", expectation(c)},
                        {"passed", o.passed},
                        {"reached", o.result.reached},
                        {"tried", o.check.cannot_run.empty() && !o.result.not_tried},
                        {"detail", o.result.detail},
                        {"elapsed_ms", o.result.elapsed_ms},
                        {"timeout_ms", c.probe.timeout_ms},
                        {"source", c.source},
                        {"implied", c.source == "implied"}};
    if (!c.why.empty()) j["why"] = c.why;
    if (c.probe.kind == ProbeKind::Resolve) {
      j["name"] = c.probe.name;
      j["addresses"] = o.result.addresses;
      j["expected_addresses"] = c.expected_addresses;
    } else {
      j["address"] = c.probe.address;
      if (c.probe.port) j["port"] = c.probe.port;
    }
    checks.push_back(std::move(j));
  }
  const Tally t = tally(outcomes);
  nlohmann::json doc = {{"format_version", kJsonFormatVersion}, {"checks", checks}, {"passed", t.passed}, {"failed", t.failed}};
  // A file name need not be UTF-8: such bytes become U+FFFD rather than an exception.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_tap(const std::vector<CheckOutcome>& outcomes) {
  std::string out = "TAP version 13\n1.." + std::to_string(outcomes.size()) + "\n";
  int n = 0;
  for (const auto& o : outcomes) {
    out += std::string(o.passed ? "ok " : "not ok ") + std::to_string(++n) + " - " + subject(o.check) + " " +
           expectation(o.check) + "\n";
    // YAML diagnostics, as TAP 13 has them.
    out += "  ---\n  detail: " + nlohmann::json(o.result.detail).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n  source: " + nlohmann::json(where(o.check)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n  ...\n";
  }
  return out + "# " + summary(tally(outcomes)) + "\n";
}

}  // namespace topo::verify
