#pragma once
// The controller's checks, run off the event loop: the probes take up to
// their timeouts (seconds), and meanwhile the loop must go on hearing the
// kernel, the manifests and SIGTERM. A run goes on a thread of its own, whose
// end wakes the loop through an eventfd (as cluster_events.hpp does); the
// loop then takes the outcomes. Stopping (or destroying) kills the probe
// children still running and joins the thread at once.
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/verify/planned_check.hpp"
#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class CheckRunner {
 public:
  CheckRunner();  // throws std::runtime_error when the eventfds cannot be made
  ~CheckRunner();  // stop()
  CheckRunner(const CheckRunner&) = delete;
  CheckRunner& operator=(const CheckRunner&) = delete;

  // Readable once a run has ended.
  int fd() const { return done_.get(); }
  bool busy() const { return thread_.joinable(); }
  // Starts a run of `checks`; only when !busy().
  void start(std::vector<verify::PlannedCheck> checks);
  struct Run {
    std::vector<verify::CheckOutcome> outcomes;
    double seconds = 0;
  };
  // The outcomes of the run that ended (joining its thread), or none when
  // none has ended since the last call.
  std::optional<Run> take();
  // Kills the probes still running and joins the thread; its outcomes are dropped.
  void stop();

 private:
  Fd done_;  // written by the thread when its run has ended
  Fd stop_;  // written to stop the run: run_probes polls it
  std::thread thread_;
  std::mutex mutex_;
  std::optional<Run> result_;
};

}  // namespace topo::watcher
