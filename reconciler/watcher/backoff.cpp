#include "reconciler/watcher/backoff.hpp"

#include <algorithm>

namespace topo::watcher {

Millis Backoff::failure() {
  ++failures_;
  return current();
}

Millis Backoff::current() const {
  if (failures_ == 0) return Millis(0);
  Millis wait = initial_;
  // Double at most until the cap; stops early so the arithmetic cannot overflow.
  for (int i = 1; i < failures_ && wait < cap_; ++i) wait *= 2;
  return std::min(wait, cap_);
}

}  // namespace topo::watcher
