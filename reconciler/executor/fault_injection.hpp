#pragma once
// TEST HOOK, not a feature: fault injection for the reliability tests
// (tests/kernel/e2e_crash_test.cpp, e2e_fault_rollback_test.cpp). Two
// environment variables, read once per process:
//   TOPO_FAULT_AFTER_OPS=N  after N kernel operations have completed, the
//                           process dies at once with _exit(137), as if
//                           SIGKILLed between two operations of an apply.
//   TOPO_FAULT_FAIL_OP=N    the Nth kernel operation throws a KernelError
//                           (EIO) instead of running; later ones (the
//                           rollback) run normally.
// Operations are the executor's calls of create, update, remove and commit,
// counted from 1 in each execute(). Unset (the normal case), execute() runs on
// the kernel it was given and nothing here is in the path.
#include <memory>

#include "reconciler/kernel/kernel.hpp"

namespace topo {

struct FaultConfig {
  long exit_after_ops = 0;  // 0: off
  long fail_op = 0;         // 0: off
  bool active() const { return exit_after_ops > 0 || fail_op > 0; }
};

// The configuration from the environment, parsed on the first call. A value
// that is not a positive integer is ignored with a message on stderr.
const FaultConfig& fault_config_from_env();

// A Kernel that forwards to `inner` and injects the faults of `config`.
// Meant for execute() only: it forwards create/update/remove/commit and
// observe/observe_settings, nothing used only by planning.
std::unique_ptr<Kernel> make_fault_injecting_kernel(Kernel& inner, const FaultConfig& config);

}  // namespace topo
