#pragma once
// The tail every pass shares: carry the plan out (shown, approved, with
// rollback), then read the kernel back and list what still differs, since
// what the kernel accepted is not always what was asked for.
#include <functional>

#include "reconciler/pipeline/reconcile_pass.hpp"

namespace topo {

// `reread`: the pass's own way of observing again (everything, or its focus).
void run_and_read_back(PassResult& result, const CarryOut& run, Kernel& kernel, const PassHooks& hooks,
                       const std::function<Observed()>& reread);

}  // namespace topo
