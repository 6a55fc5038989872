#pragma once
// The state dir is topo's memory and holds its lock: whoever can write it can
// make topo forget or invent allocations, or block it. So it must be a real
// directory (not a symlink), owned by the user topo runs as, with no access
// for group or others (0700), like ~/.ssh under sshd's StrictModes. topo
// creates it so; one found otherwise is refused, for every command that uses
// it, with an error naming it, before anything is changed.
#include <string>

#include "reconciler/fsutil/fd.hpp"

namespace topo {

// Opens the state dir without following a symlink as its last component
// (the directories above are the administrator's choice). When absent:
// created 0700 if `create`, else an empty Fd. Throws std::runtime_error
// when it is not trustworthy, KernelError when it cannot be opened.
Fd open_state_dir(const std::string& dir, bool create);

// Why a directory with this owner and mode is not a trustworthy state dir
// for `uid`; "" when it is.
std::string state_dir_problem(const std::string& dir, unsigned owner, unsigned mode, unsigned uid);

}  // namespace topo
