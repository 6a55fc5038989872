#pragma once
// TEST HOOK, not a feature: fault injection for the reliability tests
// (tests/kernel/e2e_crash_test.cpp, e2e_fault_rollback_test.cpp) and for
// slow runs (e2e_progress_test.cpp). Environment variables, read once per
// process:
//   TOPO_FAULT_AFTER_OPS=N  after N kernel operations have completed, the
//                           process dies at once with _exit(137), as if
//                           SIGKILLed between two operations of an apply.
//   TOPO_FAULT_FAIL_OP=N    the Nth kernel operation throws a KernelError
//                           (EIO) instead of running; later ones (the
//                           rollback) run normally.
//   TOPO_FAULT_DELAY_MS=N   every operation first sleeps N milliseconds, as
//                           a host with thousands of objects is slow.
// Operations are calls of create, update, remove and commit, counted from 1
// over the process (one apply: its execute, then the rollback's). The hook
// is a Kernel decorator: the command line (the composition root) wraps the
// kernel it opens when the variables are set, and unit tests wrap a fake;
// the executor knows nothing of it. Unset (the normal case), nothing here is
// in the path.
#include <memory>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo {

struct FaultConfig {
  long exit_after_ops = 0;  // 0: off
  long fail_op = 0;         // 0: off
  long delay_ms = 0;        // 0: off
  bool active() const { return exit_after_ops > 0 || fail_op > 0 || delay_ms > 0; }
};

// The configuration from the environment, parsed on the first call. A value
// that is not a positive integer is ignored with a message on stderr.
const FaultConfig& fault_config_from_env();

// A Kernel that forwards every call to `inner` and injects the faults of
// `config` into create, update, remove and commit.
std::unique_ptr<Kernel> make_fault_injecting_kernel(Kernel& inner, const FaultConfig& config);
// The same, owning `inner`.
std::unique_ptr<Kernel> make_fault_injecting_kernel(std::unique_ptr<Kernel> inner, const FaultConfig& config);
// `kernel` wrapped when `config` is active, else `kernel` itself.
std::unique_ptr<Kernel> with_faults(std::unique_ptr<Kernel> kernel, const FaultConfig& config);

}  // namespace topo
