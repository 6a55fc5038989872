// etcfiles::read ends at its first short read (a regular file reads short
// only at its end): a hosts file larger than one read, or exactly one read
// long, still comes back whole, as written.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "reconciler/kernel/etc_files.hpp"

namespace topo {
namespace {

namespace fs = std::filesystem;

class KernelEtcFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "topo-etc-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
  }
  void TearDown() override { fs::remove_all(base_); }
  std::optional<std::string> read_back(const std::string& file) {
    Fd dir;
    EXPECT_EQ(etcfiles::DirReader(base_).open("c1", dir), etcfiles::DirOwner::Owned);
    return etcfiles::read(dir.get(), file, base_ + "/c1/" + file);
  }
  std::string base_;
};

TEST_F(KernelEtcFiles, FilesOfEverySizeAroundOneReadComeBackWhole) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{100}, std::size_t{8191}, std::size_t{8192},
                                 std::size_t{8193}, std::size_t{20000}}) {
    std::string content;
    for (std::size_t i = 0; i < size; ++i) content.push_back(static_cast<char>('a' + i % 26));
    etcfiles::write(base_, "c1", "hosts", content);
    const auto back = read_back("hosts");
    ASSERT_TRUE(back.has_value()) << size;
    EXPECT_EQ(back->size(), size);
    EXPECT_EQ(*back, content) << size;
  }
}

}  // namespace
}  // namespace topo
