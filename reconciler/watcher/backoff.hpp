#pragma once
// Exponential backoff for failing passes: initial, doubled after every
// further failure, capped; a success resets it. A pass that keeps failing is
// retried ever less often but never stops being retried, and never spins.
#include "reconciler/watcher/timing.hpp"

namespace topo::watcher {

class Backoff {
 public:
  Backoff(Millis initial, Millis cap) : initial_(initial), cap_(cap) {}
  // Records a failure; returns how long to wait before the retry.
  Millis failure();
  void success() { failures_ = 0; }
  int failures() const { return failures_; }
  // The wait after the latest failure (0 when the last pass succeeded).
  Millis current() const;

 private:
  Millis initial_, cap_;
  int failures_ = 0;
};

}  // namespace topo::watcher
