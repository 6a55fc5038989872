#pragma once
// Named network namespaces as `ip netns` makes them: a bind mount of a
// namespace onto <dir>/<name>, with <dir> a shared mount point so the mount
// is visible to (and removable from) every mount namespace.
#include <functional>
#include <string>
#include <vector>

#include "reconciler/fsutil/fd.hpp"

namespace topo::netns {

// Makes <dir> (if missing) a shared mount point, as `ip netns add` does, so
// entries mounted there are seen from every mount namespace sharing it.
void ensure_shared_dir(const std::string& dir);
// Creates <dir>/<name> holding a new, empty network namespace. The calling
// thread's namespace is never changed. `inside` runs in the new namespace
// before it is bound under its name (topo marks lo there), so a crash never
// leaves a named but unmarked namespace; if it throws, nothing is made.
// Until the bind, <dir>/<name> is an empty placeholder file with
// kPlaceholderMode. Throws KernelError (EEXIST if taken).
void create(const std::string& dir, const std::string& name, const std::function<void()>& inside = {});
// The mode of topo's placeholder file: `ip netns add` makes its file with
// mode 0, so a placeholder left by a killed topo (an empty regular file
// with the sticky bit) is told from any other.
inline constexpr unsigned kPlaceholderMode = 01400;
// <dir>/<name> is topo's placeholder with no namespace bound on it.
bool is_placeholder(const std::string& dir, const std::string& name);
// "/proc/self/fd/N": mounting onto it mounts onto the file the descriptor
// holds, whatever its name points at by then.
std::string fd_path(int fd);
// Unmounts and unlinks <dir>/<name>, never following it: a symlink there is
// refused (KernelError ELOOP). Returns false if it did not exist.
// The namespace dies when nothing else holds it (processes, sockets, fds).
bool remove(const std::string& dir, const std::string& name);
// Opens a namespace file and checks that it is a network namespace.
// Throws KernelError (ENOENT, or EINVAL for something else).
Fd open(const std::string& path);
// True if fd refers to a network namespace.
bool is_netns(int fd);
// Identity of a namespace (its nsfs inode), for telling a recreated namespace
// of the same name from the old one. 0 if path cannot be stat'ed.
unsigned long inode(const std::string& path);
// Entries of the netns dir, sorted; none if the dir does not exist.
std::vector<std::string> list(const std::string& dir);
// Whether list() would name `name` (whatever it is).
bool entry_exists(const std::string& dir, const std::string& name);

}  // namespace topo::netns
