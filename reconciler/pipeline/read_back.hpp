#pragma once
// The tail every pass shares: carry the plan out (shown, approved, with
// rollback), then read the kernel back and list what still differs, since
// what the kernel accepted is not always what was asked for.
#include <functional>
#include <optional>
#include <vector>

#include "reconciler/pipeline/reconcile_pass.hpp"

namespace topo {

struct ReadBack {
  Observed now;
  // The part of the desired resources that was read again; none: all.
  std::optional<std::vector<Resource>> wanted;
};

// `reread`: the pass's own way of observing again (everything, or a focus).
void run_and_read_back(PassResult& result, const CarryOut& run, Kernel& kernel, const PassHooks& hooks,
                       const std::function<ReadBack()>& reread);

}  // namespace topo
