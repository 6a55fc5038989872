#pragma once
// Files and directories that topo writes or removes, reached without ever
// following a symbolic link (README "What apply promises"): every path is
// opened component by component relative to a directory descriptor with
// O_NOFOLLOW, temporaries are made with O_EXCL, and renames and removals are
// relative to that descriptor. A symlink found where topo writes is an error
// naming it; nothing is written or removed through it.
//
// The one place that writes a file atomically (a temporary beside it, fsync,
// rename, fsync of the directory): the state file, the controller's status
// and metrics, `plan --out`, the per-container files under /etc/netns and
// the ownership marks. No partial file is left behind on any failure.
//
// Failures throw KernelError (op, path, errno), like every other change topo
// makes to the host.
#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/fsutil/fd.hpp"

namespace topo::fsutil {

// Temporaries start with this (and a dot, so manifests walks and the
// netns marks reader skip them); whoever cleans a directory of topo's may
// remove entries with this prefix.
inline constexpr const char* kTempPrefix = ".topo-tmp-";

[[noreturn]] void fail(const std::string& op, const std::string& path, int err, const std::string& why = "");
// The error for a symlink found where topo writes or removes.
[[noreturn]] void refuse_symlink(const std::string& op, const std::string& path);

// Opens the directory `name` relative to `at` (AT_FDCWD: relative to the
// working directory, or `name` is absolute) without following a symlink as
// its last component. Absent: an empty Fd when allow_absent, else an error.
// A symlink or a non-directory is an error naming `path`.
Fd open_dir_at(int at, const std::string& name, const std::string& path, bool allow_absent);
// The same after mkdirat(at, name, mode) (an existing directory is fine).
// The mode is applied with fchmod so that the umask does not decide it.
Fd make_dir_at(int at, const std::string& name, mode_t mode, const std::string& path);
// A path's directory and last component ("a/b" -> {"a", "b"}; "b" -> {".", "b"}).
std::pair<std::string, std::string> split(const std::string& path);
// Opens the directory of a path given by the user (plan --out, --metrics-file):
// the directories above are the user's choice and are followed.
Fd open_parent(const std::string& path);

// The content of a regular file relative to `dir`, not following a symlink:
// nullopt when absent; a symlink or anything but a regular file is an error
// naming `path`. At most max_bytes (more is an error).
std::optional<std::string> read_file_at(int dir, const std::string& name, const std::string& path,
                                        std::size_t max_bytes = 16u << 20);

// What write_atomic does when `name` is a symlink already.
enum class OnSymlink {
  Refuse,   // an error naming it (state, status, metrics, plan --out, marks)
  Replace,  // the link itself is replaced by the new file (per-container files: drift, repaired)
};

// Whether a write is flushed to the disk before it returns.
enum class Durability {
  Synced,    // the file and then its directory fsync'ed: state, status, marks, plan --out
  Volatile,  // atomic for readers (rename), not flushed: content a reboot makes stale anyway
};

// The first half of write_atomic, kept apart so that a writer can prove the
// disk takes the new content before it changes anything else, and put it in
// place afterwards: the state file is staged before an apply touches the
// kernel, so a full state dir stops the apply before it starts, and the
// rename that remains needs no space. The temporary (kTempPrefix + name +
// random, created with O_EXCL|O_NOFOLLOW, chmod'ed to `mode`) is written and
// (Synced) fsync'ed by the constructor; commit() renames it over `name` and
// (Synced) fsyncs the directory. Any failure, and destruction before commit(), removes the
// temporary and leaves `name` untouched. Holds its own descriptor of `dir`.
class StagedFile {
 public:
  StagedFile(int dir, std::string name, const std::string& content, mode_t mode, std::string path,
             OnSymlink on_symlink = OnSymlink::Refuse, Durability durability = Durability::Synced);
  ~StagedFile();
  StagedFile(StagedFile&& o) noexcept;
  StagedFile& operator=(StagedFile&&) = delete;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  void commit();
  // The temporary's name in the directory ("" once committed or removed).
  const std::string& temporary() const { return tmp_; }

 private:
  void check_target() const;  // what `name` is now may be replaced
  void discard() noexcept;

  Fd dir_;
  std::string name_, path_, tmp_;
  OnSymlink on_symlink_;
  Durability durability_;
};

// Writes `content` to `name` in `dir` atomically: StagedFile, then commit().
// On any failure the temporary is removed and `name` is untouched.
void write_atomic(int dir, const std::string& name, const std::string& content, mode_t mode,
                  const std::string& path, OnSymlink on_symlink = OnSymlink::Refuse,
                  Durability durability = Durability::Synced);
// Removes the temporaries of `name` that a killed writer left in `dir`. Only
// for callers that serialise their writers (the state lock): a concurrent
// writer's temporary would go too.
void remove_stale_temporaries(int dir, const std::string& name, const std::string& path);
// write_atomic into the directory of a user-given path (see open_parent).
void write_atomic_path(const std::string& path, const std::string& content, mode_t mode);

// Writes `content` to a new file `name` in `dir` (O_CREAT|O_EXCL|O_NOFOLLOW):
// an existing file, or a symlink there, is an error naming `path` and is left
// as it was; nothing is ever overwritten. A failure after the create removes
// the partial file. For output the user asked for in a directory of theirs
// (`topo import --out`).
void write_new_file_at(int dir, const std::string& name, const std::string& content, mode_t mode,
                       const std::string& path);

// Removes the file `name` of `dir` (unlinkat never follows). Absent: false.
// A symlink is refused like a write would be.
bool remove_file_at(int dir, const std::string& name, const std::string& path);

// The entries of a directory ("." and ".." excluded), sorted.
std::vector<std::string> entries(int dir, const std::string& path);

}  // namespace topo::fsutil
