#pragma once
// After a failed apply has been undone step by step, the kernel can still
// differ from what it was: it removes some objects on its own (a route goes
// when the address that made its gateway reachable is deleted), and no undo
// journal saw that. This plans from what is there now back to what the apply
// observed before it began, and carries that out.
#include <vector>

#include "reconciler/executor/executor.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

// `before`: the owned objects (settings included) the failed apply started
// from. `settings_scope`: the desired resources whose settings were read into
// `before` (Kernel::observe_settings), so the same ones are read again.
// Whatever cannot be restored is added to r.rollback_errors, and
// r.rolled_back says whether the kernel is as it was.
void restore_after_failure(const Observed& before, const std::vector<Resource>& settings_scope, Kernel& kernel,
                           ExecuteResult& r);

}  // namespace topo
