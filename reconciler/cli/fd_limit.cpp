#include "reconciler/cli/fd_limit.hpp"

#include <sys/resource.h>

namespace topo::cli {

void raise_open_file_limit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0 || l.rlim_cur >= l.rlim_max) return;
  l.rlim_cur = l.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &l);
}

}  // namespace topo::cli
