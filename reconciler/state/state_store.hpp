#pragma once
// The state dir: what topo remembers between runs (allocations), written
// atomically (write, fsync, rename) and guarded by a lock against a
// concurrent apply. Losing it is survivable: ownership lives on the kernel
// objects and IPAM recovers addresses from the kernel.
#include <string>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "reconciler/ipam/pool_subnets.hpp"

namespace topo {

struct State {
  Allocations allocations;
  // Subnets networks without one took from the address pools: kept while
  // the network exists (the kernel shows them too, on its addresses).
  PoolChoices subnets{};
};

class StateStore {
 public:
  explicit StateStore(std::string dir) : dir_(std::move(dir)) {}
  // A missing file (or dir) is an empty state; a corrupt one is an error, and
  // so are a state dir that fails the trust rule (state_dir.hpp) and a
  // symlink as the state file.
  State load() const;
  // Creates the dir (mode 0700) if needed; writes with fsutil::write_atomic.
  void save(const State& state) const;
  // The first half of save: the new state written and synced beside the old
  // one, put in place by commit(), discarded when dropped. An apply stages
  // its state before it touches the kernel, so that a state dir that cannot
  // take it (full, read-only) fails the apply while nothing has changed.
  fsutil::StagedFile stage(const State& state) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// Exclusive lock on <dir>/lock for the lifetime of the object (the dir is
// created and checked as for save; a symlink as the lock is refused). Waits up to
// `wait_seconds` for another topo to finish, then throws with a clear message.
class StateLock {
 public:
  StateLock(const std::string& dir, int wait_seconds);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  Fd fd_;
};

// Encoding shared by the state file and the saved plan file.
std::string allocations_to_json(const Allocations& a);
Allocations allocations_from_json(const std::string& text);
// {"net1": {"subnet": "172.17.0.0/16", "stack": "default"}}
std::string pool_choices_to_json(const PoolChoices& c);
PoolChoices pool_choices_from_json(const std::string& text);

}  // namespace topo
