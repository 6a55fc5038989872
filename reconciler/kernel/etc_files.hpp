#pragma once
// Per-container files under the etc-netns dir (/etc/netns/<container>/<file>),
// read and written without ever following a symbolic link: the container's
// directory is opened with O_DIRECTORY|O_NOFOLLOW and every file operation is
// relative to that descriptor (openat/renameat/unlinkat with O_NOFOLLOW), so a
// link planted as the directory or as a file cannot redirect a write. A
// directory is topo's only when <base>/.topo/<container> marks it (see
// ownership::kEtcMarksDir); others are never written to or removed.
#include <optional>
#include <string>
#include <vector>

#include "reconciler/fsutil/fd.hpp"

namespace topo::etcfiles {

enum class DirOwner { Absent, Owned, Foreign };

// Opens <base>/<container> if it is a real directory carrying topo's marker.
// Absent: no such entry; Foreign: anything else (no marker, a symlink, a file).
DirOwner open_dir(const std::string& base, const std::string& container, Fd& dir_out);

// open_dir for many containers: the base and marks dirs opened once (a full
// read of 1000 containers saved 4000 system calls).
class DirReader {
 public:
  explicit DirReader(const std::string& base);
  DirOwner open(const std::string& container, Fd& dir_out) const;

 private:
  Fd base_, marks_;
};

// The entries of the base dir ("." and ".." excluded, topo's marks dir
// included); empty when it does not exist.
std::vector<std::string> list(const std::string& base);

// A file of an owned dir, not following a symlink: nullopt when absent; ""
// for a symlink or anything that is not a regular file (so it shows as drift
// and the next write replaces it, never writing through it).
std::optional<std::string> read(int dir_fd, const std::string& file, const std::string& path_for_errors);

// Writes atomically (temp file, rename), not flushed to the disk: the file
// serves a namespace a reboot removes (etc_files.cpp). Makes the container's
// dir with its marker, flushed, when absent; refuses a foreign one.
void write(const std::string& base, const std::string& container, const std::string& file,
           const std::string& content);

// Removes the file (absent is fine); when nothing else is left, removes the
// directory and its mark too. Refuses a foreign dir.
void remove(const std::string& base, const std::string& container, const std::string& file);

}  // namespace topo::etcfiles
