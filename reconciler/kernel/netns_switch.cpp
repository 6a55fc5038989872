#include "reconciler/kernel/netns_switch.hpp"

#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "reconciler/kernel/errors.hpp"

namespace topo {

ScopedNetns::ScopedNetns(int target, int origin, const std::string& what) : origin_(origin) {
  if (::setns(target, CLONE_NEWNET) != 0) nl::throw_errno("enter netns", what, errno);
}

ScopedNetns::~ScopedNetns() {
  if (::setns(origin_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "topo: cannot return to the original network namespace: %s\n",
                 std::strerror(errno));
    std::abort();
  }
}

}  // namespace topo
