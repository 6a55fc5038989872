#pragma once
// topo holds one netlink socket per managed namespace while it works:
// thousands of containers need thousands of descriptors. The soft limit is 1024 by
// default (systemd's too), the hard one far higher; programs that need
// more are to raise the soft limit themselves (they use no select()).
namespace topo::cli {

// Soft RLIMIT_NOFILE up to the hard limit; a refusal changes nothing.
void raise_open_file_limit();

}  // namespace topo::cli
