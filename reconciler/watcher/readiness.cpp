#include "reconciler/watcher/readiness.hpp"

namespace topo::watcher {

namespace {
// Whole seconds, rounded up: "retrying in 0 s" would read as a spin.
std::string seconds(Millis m) {
  const long long s = m.count() <= 0 ? 0 : (m.count() + 999) / 1000;
  return std::to_string(s) + " s";
}
}  // namespace

Notice Readiness::after_pass(bool converged, const std::string& summary, Millis next_pass_in) {
  if (said_ready_) return {false, summary};
  if (converged) {
    said_ready_ = true;
    return {true, summary};
  }
  why_not_ = summary;
  return {false, "not converged yet: " + summary + "; next pass in " + seconds(next_pass_in)};
}

std::optional<TimePoint> Readiness::deadline() const {
  if (said_ready_) return std::nullopt;
  return deadline_;
}

std::optional<Notice> Readiness::on_time(TimePoint now) {
  if (said_ready_ || now < deadline_) return std::nullopt;
  said_ready_ = true;
  return Notice{true, "started without converging within " + seconds(bound_) + ": " + why_not_ + "; still retrying"};
}

}  // namespace topo::watcher
