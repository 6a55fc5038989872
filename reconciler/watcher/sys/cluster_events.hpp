#pragma once
// Cluster mode in the controller's loop: an etcd watch of topo's keys
// (cluster/etcd/watch.hpp) on a thread of its own, whose events wake the loop
// through an eventfd: another node came, went or took a share, and a full
// pass reads etcd again. The watch resumes from its revision after a
// disconnect (etcd down, a member gone) and, when etcd compacted past it,
// starts over from what etcd still has, asking for a pass since events may
// have been lost.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "reconciler/cluster/etcd/options.hpp"
#include "reconciler/cluster/etcd/watch.hpp"
#include "reconciler/fsutil/fd.hpp"

namespace topo::watcher {

class ClusterEvents {
 public:
  // Starts watching `prefix` (changes from now on). Throws std::runtime_error
  // when the eventfd cannot be made.
  ClusterEvents(etcd::ClientOptions client, const std::string& prefix);
  ~ClusterEvents();  // stops the watch and joins its thread
  ClusterEvents(const ClusterEvents&) = delete;
  ClusterEvents& operator=(const ClusterEvents&) = delete;

  int fd() const { return wake_.get(); }
  // Empties the eventfd; true when keys changed (or may have) since the last call.
  bool drain();

 private:
  void run();
  void signal();

  etcd::Watch watch_;
  Fd wake_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable stopped_;
  std::thread thread_;
};

}  // namespace topo::watcher
