#pragma once
// When `topo watch` tells systemd it has started (READY=1), and what STATUS=
// says meanwhile. Ready means converged: the first pass that ended clean with
// nothing held back for the manifests to settle. Until then every pass says
// why not and when the next try comes.
//
// The wait is bounded: `bound` after the start without convergence, READY=1
// is sent anyway, with a STATUS that says the host is not converged. Failing
// the start instead (TimeoutStartSec= running out) would gain nothing: a
// broken manifest or an unreachable etcd is not mended by a restart; systemd
// would kill the controller, perhaps mid-pass, and restart it with its retry
// backoff forgotten, over and over; and units ordered after it (the unit
// says Before=network.target) would wait for it at every try. A controller
// that runs and keeps retrying, with `systemctl status` and `topo status`
// saying why it is not converged, is the more useful state. The bound must
// stay below the unit's TimeoutStartSec= (systemd/topo.service.in).
#include <optional>
#include <string>

#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

// What to tell systemd: STATUS=status, with READY=1 when `ready`.
struct Notice {
  bool ready = false;
  std::string status;
};

class Readiness {
 public:
  static constexpr Millis kDefaultBound{60'000};

  Readiness(Millis bound, TimePoint start) : deadline_(start + bound), bound_(bound) {}

  // After a pass. `converged`: it ended clean with nothing held back;
  // `summary`: the pass in a line ("converged: 3 change(s) ...", "error: ...");
  // `next_pass_in`: when the next pass is due.
  Notice after_pass(bool converged, const std::string& summary, Millis next_pass_in);
  // When the loop must wake up to stop waiting; none once ready was said.
  std::optional<TimePoint> deadline() const;
  // READY=1 anyway once the bound has passed without convergence; none
  // before that or when ready was said already.
  std::optional<Notice> on_time(TimePoint now);
  bool said_ready() const { return said_ready_; }

 private:
  TimePoint deadline_;
  Millis bound_;
  bool said_ready_ = false;
  std::string why_not_ = "no pass has ended yet";
};

}  // namespace topo::watcher
