// `topo import --out DIR`: the manifest file is created, never written over an
// existing file or through a symlink (fsutil::write_new_file_at).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "tests/unit/golden_file.hpp"

namespace topo::testing {
namespace {

namespace fs = std::filesystem;

class ImportOutFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("topo-import-out-" + std::to_string(rd()));
    fs::create_directories(dir_);
    fd_ = Fd(::open(dir_.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  Fd fd_;
};

TEST_F(ImportOutFile, CreatesTheFile) {
  fsutil::write_new_file_at(fd_.get(), "s.yaml", "version: 1\n", 0644, (dir_ / "s.yaml").string());
  EXPECT_EQ(read_file_text(dir_ / "s.yaml"), "version: 1\n");
}

TEST_F(ImportOutFile, RefusesAnExistingFileAndLeavesIt) {
  std::ofstream(dir_ / "s.yaml") << "mine\n";
  try {
    fsutil::write_new_file_at(fd_.get(), "s.yaml", "version: 1\n", 0644, (dir_ / "s.yaml").string());
    ADD_FAILURE() << "no error";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("exists already"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file_text(dir_ / "s.yaml"), "mine\n");
}

TEST_F(ImportOutFile, RefusesASymlinkAndWritesNothingThroughIt) {
  fs::create_symlink(dir_ / "target", dir_ / "s.yaml");
  try {
    fsutil::write_new_file_at(fd_.get(), "s.yaml", "version: 1\n", 0644, (dir_ / "s.yaml").string());
    ADD_FAILURE() << "no error";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "target"));
}

}  // namespace
}  // namespace topo::testing
