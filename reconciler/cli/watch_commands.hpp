#pragma once
// `topo watch` (the controller) and `topo status` (what it last did).
#include <string>

#include "reconciler/cli/options.hpp"

namespace topo::cli {

struct WatchOptions {
  int debounce_ms = 250;
  int settle_ms = 3000;
  int kernel_debounce_ms = 20;
  int resync_seconds = 60;
  int max_backoff_seconds = 60;
  // The manifests' checks every this many seconds and after every pass that
  // changed something; 0: never. A manifest without checks costs nothing.
  int verify_interval_seconds = 300;
  std::string metrics_file;
  bool allow_writable = false;
};

int cmd_watch(const Options& o, const WatchOptions& w);
// Exit 0 when the controller runs and its last pass was clean; else 1.
int cmd_status(const Options& o);

}  // namespace topo::cli
