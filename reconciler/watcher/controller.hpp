#pragma once
// The controller's pass, without the event plumbing: load the manifests
// (keeping the last good model when they fail), take the state lock, run one
// reconcile pass, account for changes and drift repairs, and publish the
// status file and metrics. Pure over the Kernel interface, so the fake kernel
// drives it in unit tests; the event loop (watch_loop) decides when to call it.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/kernel/kernel.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/watcher/status.hpp"

namespace topo::watcher {

struct ControllerConfig {
  std::string path;               // the watched manifest file or directory
  std::string state_dir;
  std::string node;               // --node: this host's slice of multi-host manifests ("" = single host)
  std::string metrics_file;       // "" = no metrics
  bool allow_writable = false;    // skip the trust rule (permissions.hpp)
  // The trust rule checks the directories above `path` up to this one; "/"
  // but in tests, whose temporary roots sit in a world-writable /tmp.
  std::string trust_ancestors_up_to = "/";
  int lock_wait_seconds = 10;     // short: a long wait would starve the watchdog
};

using KernelFactory = std::function<std::unique_ptr<Kernel>()>;

class Controller {
 public:
  Controller(ControllerConfig config, KernelFactory kernels);
  // One pass; never throws for manifest, lock, state or kernel errors (they
  // end up in the status). Returns the status after the pass.
  const WatchStatus& run_pass();
  const WatchStatus& status() const { return status_; }
  // Names of the container namespaces the model in force manages.
  const std::vector<std::string>& managed_namespaces() const { return namespaces_; }

 private:
  std::vector<std::string> load();  // errors; on success last_good_ is replaced
  void publish();

  ControllerConfig config_;
  KernelFactory kernels_;
  std::optional<Desired> last_good_;
  std::optional<std::vector<Resource>> converged_;  // desired resources of the last clean pass
  std::vector<std::string> namespaces_;
  WatchStatus status_;
};

int64_t unix_ms_now();

}  // namespace topo::watcher
