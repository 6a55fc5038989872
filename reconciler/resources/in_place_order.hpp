#pragma once
// Putting a large array of resources or actions in a new order without a
// second array of them: at 10 000 containers such a copy (or a stable sort's
// buffer) was tens of megabytes on top of a run's peak.
#include <cstddef>
#include <utility>
#include <vector>

namespace topo {

// Slot j takes what was at from[j] (`from` is a permutation of 0..n-1). The
// permutation's cycles are followed, so each element moves once.
template <typename T>
void apply_order(std::vector<T>& v, std::vector<std::size_t> from) {
  const std::size_t done = v.size();
  for (std::size_t start = 0; start < v.size(); ++start) {
    if (from[start] == done) continue;
    if (from[start] == start) {
      from[start] = done;
      continue;
    }
    T held = std::move(v[start]);
    std::size_t j = start;
    for (;;) {
      const std::size_t source = from[j];
      from[j] = done;
      if (source == start) {
        v[j] = std::move(held);
        break;
      }
      v[j] = std::move(v[source]);
      j = source;
    }
  }
}

}  // namespace topo
