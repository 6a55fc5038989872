#pragma once
// `topo watch`: the event loop around the Controller. One thread, one
// sd-event loop (event_loop.hpp): signals, inotify on the manifests and the
// per-container files, netlink subscriptions, and a timer at the moment the
// Scheduler says the next pass is due. SIGHUP reconciles at once; SIGTERM/SIGINT
// let the pass in progress finish and return 0, leaving the network in place.
#include <string>

#include "reconciler/cluster/etcd_cluster_source.hpp"
#include "reconciler/watcher/controller.hpp"
#include "reconciler/watcher/readiness.hpp"
#include "reconciler/watcher/scheduler.hpp"

namespace topo::watcher {

struct WatchConfig {
  ControllerConfig controller;
  SchedulerConfig schedule;
  std::string netns_dir;
  std::string etc_netns_dir;  // per-container hosts and resolv.conf, watched for hand edits
  // The netlink subscriptions' receive buffer; 0 = 4 MiB. Tests make it
  // tiny to lose events on purpose (TOPO_TEST_EVENT_RCVBUF).
  int event_rcvbuf = 0;
  // Cluster mode: the same source as controller.cluster, for the leases'
  // keepalive and the watch of etcd's keys; null without --etcd.
  std::shared_ptr<cluster::EtcdClusterSource> etcd;
  // How long the first pass may take to converge before READY=1 is sent
  // anyway (readiness.hpp); below the unit's TimeoutStartSec=.
  Millis ready_bound = Readiness::kDefaultBound;
};

// Returns the process exit code. Throws std::runtime_error when it cannot set up.
int run_watch(const WatchConfig& config, KernelFactory kernels);

}  // namespace topo::watcher
