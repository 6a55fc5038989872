#pragma once
// The whole text of a file the user names, read with a bound: a huge file,
// or an endless one such as /dev/zero, is refused after one piece past the
// bound, never read whole. Pipes are fine (`topo import docker <(docker
// inspect ...)`); a directory is said to be one. Shared by the manifest
// loader and `topo import`.
#include <cstddef>
#include <optional>
#include <string>

namespace topo::fsutil {

struct BoundedRead {
  std::optional<std::string> text;  // unset on failure
  std::string error;                // "cannot open: ...", "is a directory", "read error: ..."
  bool too_large = false;           // the bound was passed (error is empty then)
};

BoundedRead read_bounded(const std::string& path, std::size_t max_bytes);

}  // namespace topo::fsutil
