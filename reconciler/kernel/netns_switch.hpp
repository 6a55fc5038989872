#pragma once
// Moves the calling thread into another network namespace for a scope.
// Only the calling thread moves; other threads are unaffected.
#include <string>

namespace topo {

class ScopedNetns {
 public:
  // target: fd of the namespace to enter; origin: fd of the namespace to come
  // back to, opened once by the owner (re-opening /proc/thread-self/ns/net
  // here would be racy if a previous switch-back had failed).
  // Throws KernelError when the target cannot be entered.
  ScopedNetns(int target, int origin, const std::string& what);
  // Aborts if it cannot switch back: carrying on in the wrong namespace
  // could change the host's network.
  ~ScopedNetns();
  ScopedNetns(const ScopedNetns&) = delete;
  ScopedNetns& operator=(const ScopedNetns&) = delete;

 private:
  int origin_;
};

}  // namespace topo
