// fsutil: the one atomic writer, and the rule that topo never writes, reads
// for a decision or removes through a symlink (issue 12, point 5).
#include "reconciler/fsutil/safe_fs.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/kernel_interface/kernel.hpp"
#include "tests/file_size_limit.hpp"

namespace topo::fsutil {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SafeFs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "topo-safefs-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    fs::create_directories(root_ / "dir");
    fs::create_directories(root_ / "elsewhere");
    std::ofstream(root_ / "elsewhere" / "victim") << "precious\n";
    dir_ = Fd(::open((root_ / "dir").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(dir_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Names in dir/ that are temporaries of write_atomic.
  std::vector<std::string> temporaries() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(root_ / "dir"))
      if (e.path().filename().string().rfind(kTempPrefix, 0) == 0) out.push_back(e.path().filename());
    return out;
  }

  fs::path root_;
  Fd dir_;
};

TEST_F(SafeFs, WritesAtomicallyWithTheModeAskedWhateverTheUmask) {
  mode_t old = ::umask(077);
  write_atomic(dir_.get(), "f", "hello\n", 0644, "dir/f");
  ::umask(old);
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "hello\n");
  struct stat st {};
  ASSERT_EQ(::stat((root_ / "dir" / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  write_atomic(dir_.get(), "f", "again\n", 0600, "dir/f");
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "again\n");
  EXPECT_TRUE(temporaries().empty());
}

// hosts and resolv.conf are written without flushing (etc_files.cpp): still
// whole for a reader at every moment, with their mode, and no temporary left.
TEST_F(SafeFs, AVolatileWriteIsAtomicToo) {
  write_atomic(dir_.get(), "f", "old\n", 0644, "dir/f", OnSymlink::Replace, Durability::Volatile);
  StagedFile staged(dir_.get(), "f", "new\n", 0600, "dir/f", OnSymlink::Replace, Durability::Volatile);
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "old\n") << "the new content shows only once it is renamed into place";
  EXPECT_EQ(temporaries().size(), 1u);
  staged.commit();
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat((root_ / "dir" / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(SafeFs, ASymlinkAtTheTargetIsRefusedAndNothingIsWrittenThroughIt) {
  fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / "f");
  try {
    write_atomic(dir_.get(), "f", "evil\n", 0644, "dir/f");
    FAIL() << "a symlink at the target must be refused";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("dir/f: is a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(root_ / "elsewhere" / "victim"), "precious\n");
  EXPECT_TRUE(fs::is_symlink(root_ / "dir" / "f")) << "left for the administrator to look at";
  EXPECT_TRUE(temporaries().empty()) << "no partial file is left behind";
}

// `plan --out /dev/null` once replaced the device with a regular file.
TEST_F(SafeFs, ADeviceOrFifoAtTheTargetIsRefusedAndLeftAsItIs) {
  ASSERT_EQ(::mkfifo((root_ / "dir" / "pipe").c_str(), 0644), 0);
  try {
    write_atomic(dir_.get(), "pipe", "plan\n", 0644, "dir/pipe");
    FAIL() << "a FIFO at the target must be refused";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_fifo(root_ / "dir" / "pipe"));
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(SafeFs, ReplaceModeReplacesTheLinkItselfNeverItsTarget) {
  fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / "hosts");
  write_atomic(dir_.get(), "hosts", "new\n", 0644, "dir/hosts", OnSymlink::Replace);
  EXPECT_FALSE(fs::is_symlink(root_ / "dir" / "hosts"));
  EXPECT_EQ(slurp(root_ / "dir" / "hosts"), "new\n");
  EXPECT_EQ(slurp(root_ / "elsewhere" / "victim"), "precious\n");
}

TEST_F(SafeFs, SymlinksPlantedAtTheOldFixedTemporaryNamesCatchNothing) {
  for (const char* name : {"f.tmp", ".topo-tmp-f", "f.tmp.1"})
    fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / name);
  write_atomic_path((root_ / "dir" / "f").string(), "plan\n", 0644);
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "plan\n");
  EXPECT_EQ(slurp(root_ / "elsewhere" / "victim"), "precious\n");
}

TEST_F(SafeFs, AFailedWriteLeavesNoTemporaryAndTheTargetAsItWas) {
  fs::create_directories(root_ / "dir" / "f");  // rename onto a directory fails
  EXPECT_THROW(write_atomic(dir_.get(), "f", "x", 0644, "dir/f"), KernelError);
  EXPECT_TRUE(fs::is_directory(root_ / "dir" / "f"));
  EXPECT_TRUE(temporaries().empty());
}

// Issue 13, point 6: a disk that cannot take the content (here a file size
// limit, as a full one would) fails the write and leaves no partial file.
TEST_F(SafeFs, AWriteTheDiskCannotTakeLeavesNoPartialFile) {
  write_atomic(dir_.get(), "f", "old\n", 0600, "dir/f");
  {
    testing::FileSizeLimit limit(64);
    try {
      write_atomic(dir_.get(), "f", std::string(4096, 'x'), 0600, "dir/f");
      FAIL() << "a write past the limit must fail";
    } catch (const KernelError& e) {
      EXPECT_EQ(e.err(), EFBIG) << e.what();
    }
  }
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "old\n");
  EXPECT_TRUE(temporaries().empty());
}

// Staged: the content is on disk under a temporary name, the target is not
// touched until commit(); dropped uncommitted, nothing of it stays.
TEST_F(SafeFs, AStagedFileChangesNothingUntilCommittedAndLeavesNothingWhenDropped) {
  write_atomic(dir_.get(), "f", "old\n", 0600, "dir/f");
  {
    StagedFile staged(dir_.get(), "f", "dropped\n", 0600, "dir/f");
    EXPECT_EQ(temporaries().size(), 1u);
    EXPECT_EQ(slurp(root_ / "dir" / "f"), "old\n");
  }
  EXPECT_TRUE(temporaries().empty()) << "a dropped stage leaves no temporary";
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "old\n");
  StagedFile staged(dir_.get(), "f", "new\n", 0600, "dir/f");
  StagedFile moved(std::move(staged));
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "old\n");
  moved.commit();
  EXPECT_EQ(slurp(root_ / "dir" / "f"), "new\n");
  EXPECT_TRUE(temporaries().empty());
  EXPECT_THROW(moved.commit(), KernelError) << "a stage is put in place once";
}

TEST_F(SafeFs, AStageRefusesASymlinkTargetBeforeWritingAnything) {
  fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / "f");
  EXPECT_THROW(StagedFile(dir_.get(), "f", "evil\n", 0600, "dir/f"), KernelError);
  EXPECT_TRUE(temporaries().empty());
  EXPECT_EQ(slurp(root_ / "elsewhere" / "victim"), "precious\n");
}

TEST_F(SafeFs, ReadingRemovingAndOpeningDirectoriesNeverFollowALink) {
  fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / "link");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "dir" / "dlink");
  EXPECT_THROW(read_file_at(dir_.get(), "link", "dir/link"), KernelError);
  EXPECT_THROW(remove_file_at(dir_.get(), "link", "dir/link"), KernelError);
  try {
    open_dir_at(dir_.get(), "dlink", "dir/dlink", true);
    FAIL() << "a directory symlink must be refused";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("dir/dlink: is a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_dir_at(dir_.get(), "dlink", 0755, "dir/dlink"), KernelError);
  EXPECT_TRUE(fs::exists(root_ / "elsewhere" / "victim"));
  EXPECT_FALSE(read_file_at(dir_.get(), "absent", "dir/absent"));
  EXPECT_FALSE(open_dir_at(dir_.get(), "absent", "dir/absent", true));
  EXPECT_FALSE(remove_file_at(dir_.get(), "absent", "dir/absent"));
}

TEST_F(SafeFs, StaleTemporariesOfANameAreRemovedAndOnlyThose) {
  std::ofstream(root_ / "dir" / ".topo-tmp-f.0123456789abcdef") << "half";
  std::ofstream(root_ / "dir" / ".topo-tmp-g.0123456789abcdef") << "other";
  fs::create_symlink(root_ / "elsewhere" / "victim", root_ / "dir" / ".topo-tmp-f.feedfeedfeedfeed");
  remove_stale_temporaries(dir_.get(), "f", "dir/f");
  EXPECT_EQ(temporaries(), std::vector<std::string>{".topo-tmp-g.0123456789abcdef"});
  EXPECT_EQ(slurp(root_ / "elsewhere" / "victim"), "precious\n");
}

TEST_F(SafeFs, AFifoIsRefusedNotWaitedOn) {
  ASSERT_EQ(::mkfifo((root_ / "dir" / "fifo").c_str(), 0600), 0);
  EXPECT_THROW(read_file_at(dir_.get(), "fifo", "dir/fifo"), KernelError);
}

TEST(SafeFsSplit, PathsSplitIntoDirectoryAndName) {
  EXPECT_EQ(split("a/b/c"), (std::pair<std::string, std::string>{"a/b", "c"}));
  EXPECT_EQ(split("/c"), (std::pair<std::string, std::string>{"/", "c"}));
  EXPECT_EQ(split("c"), (std::pair<std::string, std::string>{".", "c"}));
  EXPECT_EQ(split("/a/b/"), (std::pair<std::string, std::string>{"/a", "b"}));
}

}  // namespace
}  // namespace topo::fsutil
