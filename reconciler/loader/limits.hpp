#pragma once
// Bounds on hostile input. Real manifests are far below all of them; the point
// is that a crafted file (huge, deeply nested, alias bomb) fails with a clear
// error instead of exhausting memory or stack.
#include <cstddef>

namespace topo::loader {

inline constexpr std::size_t kMaxFileBytes = 4u << 20;
// YAML documents ("---") in one file.
inline constexpr std::size_t kMaxDocumentsPerFile = 1000;
// Nodes visited per file, counting every expansion of an alias: the tree keeps
// aliases as shared nodes, so a "billion laughs" file is small in memory but
// huge to walk.
inline constexpr std::size_t kMaxNodesPerFile = 200000;
// Our schema is at most ~5 levels deep; anything far deeper is garbage.
inline constexpr int kMaxDepth = 64;
// Longest scalar (value or key). Besides sanity, this bounds the input to the
// schema's std::regex patterns, whose libstdc++ matcher recurses per character.
inline constexpr std::size_t kMaxScalarBytes = 4096;

}  // namespace topo::loader
