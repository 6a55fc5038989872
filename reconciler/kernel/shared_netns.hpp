#pragma once
// Netns-dir entries that are bind mounts of namespaces topo does not own:
// the host's (network_mode host), another container's (container:<name>)
// or an adopted one (netns: PATH). See resources/mode_attrs.hpp.
//
// Ownership mark: such an entry cannot be marked on the namespace itself
// (an alias on lo would mark the host's own lo, or a foreign runtime's), so
// the mark belongs to the entry: a file <dir>/.topo/<name> holding the mode
// and, on a second line, the stack (none: the default stack).
// The observer checks that the entry still is a bind of that namespace
// (same nsfs device and inode); if not it reports the mode as stale.
// Removing such an entry only unmounts it: the namespace lives on as long as
// anything else holds it, and the host's is never touched.
#include <map>
#include <string>

namespace topo::shared_ns {

// "<dir>/.topo": never a container name (names cannot start with a dot).
std::string marks_dir(const std::string& dir);
// name -> mode as written in the marks; names without an entry included.
std::map<std::string, std::string> read_marks(const std::string& dir);
// name -> stack of each marked entry.
std::map<std::string, std::string> read_mark_stacks(const std::string& dir);
// name -> mode, with ns_mode::stale_suffix appended when the entry is not
// (any more) a bind mount of the namespace the mode names.
std::map<std::string, std::string> observe(const std::string& dir);
// The namespace file a mode binds: /proc/thread-self/ns/net for host,
// <dir>/<target> for container:<target>, the path for adopted:<path>.
std::string source_of(const std::string& dir, const std::string& mode);

// Marks and bind-mounts <dir>/<name>. Checks that the source is a network
// namespace. Throws KernelError (EEXIST when the entry exists).
void bind(const std::string& dir, const std::string& name, const std::string& mode, const std::string& stack);
// Unmounts and unlinks the entry and drops its mark. Only for marked entries.
void unbind(const std::string& dir, const std::string& name);

}  // namespace topo::shared_ns
