#include "reconciler/watcher/debounce.hpp"

#include <algorithm>

namespace topo::watcher {

void Debouncer::event(TimePoint now) {
  if (!first_) first_ = now;
  last_ = now;
}

std::optional<TimePoint> Debouncer::deadline() const {
  if (!first_) return std::nullopt;
  return std::min(*last_ + delay_, *first_ + std::max(max_wait_, delay_));
}

}  // namespace topo::watcher
