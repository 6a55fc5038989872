// The controller's trust rule (issue 12, point 6): manifests, everything the
// loader would read below PATH and every directory above it up to / must be
// owned by root or the controller's user and not writable by group or others.
#include "reconciler/watcher/permissions.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace topo::watcher {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class TrustRuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "topo-trust-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    fs::create_directories(root_ / "etc" / "topo" / "sub");
    for (const char* d : {"", "/etc", "/etc/topo", "/etc/topo/sub"}) ::chmod((root_.string() + d).c_str(), 0755);
    write("etc/topo/a.yaml");
    write("etc/topo/sub/b.yaml");
    rule_.uid = ::geteuid();
    rule_.ancestors_up_to = root_.string();
  }
  void TearDown() override {
    ::chmod(root_.c_str(), 0700);
    fs::remove_all(root_);
  }
  void write(const std::string& rel, unsigned mode = 0644) {
    std::ofstream(root_ / rel) << "version: 1\n";
    ::chmod((root_ / rel).c_str(), mode);
  }
  std::string manifests() const { return (root_ / "etc" / "topo").string(); }

  fs::path root_;
  TrustRule rule_;
};

TEST_F(TrustRuleTest, ATreeOwnedByTheUserAndWritableOnlyByItIsTrusted) {
  EXPECT_EQ(joined(untrusted_manifest_paths(manifests(), rule_)), "");
}

TEST_F(TrustRuleTest, AWorldWritableParentDirectoryIsRefusedEvenWithTheStickyBit) {
  for (unsigned mode : {0777u, 01777u, 0775u}) {
    ::chmod((root_ / "etc").c_str(), mode);
    std::string err = joined(untrusted_manifest_paths(manifests(), rule_));
    EXPECT_NE(err.find((root_ / "etc").string() + " (a directory above the manifests): writable by group or others"),
              std::string::npos)
        << err;
  }
  ::chmod((root_ / "etc").c_str(), 0755);
  ::chmod(root_.c_str(), 01777);
  EXPECT_NE(joined(untrusted_manifest_paths(manifests(), rule_)).find("the sticky bit does not stop others"),
            std::string::npos);
}

TEST_F(TrustRuleTest, ParentsAreCheckedUpToTheRootByDefault) {
  struct stat st {};
  ASSERT_EQ(::stat(fs::temp_directory_path().c_str(), &st), 0);
  if ((st.st_mode & S_IWOTH) == 0) GTEST_SKIP() << "the temp dir is not world-writable here";
  TrustRule strict{rule_.uid, "/"};
  std::string err = joined(untrusted_manifest_paths(manifests(), strict));
  EXPECT_NE(err.find(fs::canonical(fs::temp_directory_path()).string() + " (a directory above the manifests)"),
            std::string::npos)
      << err;
}

TEST_F(TrustRuleTest, EveryFileAndDirectoryTheLoaderReadsIsChecked) {
  write("etc/topo/sub/b.yaml", 0664);
  ::chmod((root_ / "etc/topo/sub").c_str(), 0777);
  write("etc/topo/notes.txt", 0666);  // never read: not checked
  write("etc/topo/.hidden.yaml", 0666);  // skipped by the loader too
  std::string err = joined(untrusted_manifest_paths(manifests(), rule_));
  EXPECT_NE(err.find("sub/b.yaml: writable by group or others (mode 0664)"), std::string::npos) << err;
  EXPECT_NE(err.find("sub: writable by group or others (mode 0777)"), std::string::npos) << err;
  EXPECT_EQ(err.find("notes.txt"), std::string::npos) << err;
  EXPECT_EQ(err.find(".hidden"), std::string::npos) << err;
}

TEST_F(TrustRuleTest, ASymlinkedManifestIsCheckedWhereItPointsAndAboveThat) {
  fs::create_directories(root_ / "open" / "deep");
  ::chmod((root_ / "open").c_str(), 0777);
  ::chmod((root_ / "open" / "deep").c_str(), 0755);
  write("open/deep/c.yaml");
  fs::create_symlink(root_ / "open" / "deep" / "c.yaml", root_ / "etc" / "topo" / "c.yaml");
  std::string err = joined(untrusted_manifest_paths(manifests(), rule_));
  EXPECT_NE(err.find((root_ / "open").string() + " (a directory above the manifests): writable"), std::string::npos)
      << err;
  // PATH itself a symlink (git-sync): its target's directories count too.
  fs::create_directory_symlink(root_ / "open" / "deep", root_ / "etc" / "current");
  err = joined(untrusted_manifest_paths((root_ / "etc" / "current").string(), rule_));
  EXPECT_NE(err.find((root_ / "open").string() + " (a directory above the manifests)"), std::string::npos) << err;
}

TEST(TrustProblem, OwnersOtherThanRootAndTheControllerAreRefused) {
  EXPECT_EQ(trust_problem("/m.yaml", 0, 0100644, 0, false), "");
  EXPECT_EQ(trust_problem("/m.yaml", 1000, 0100644, 1000, false), "");
  EXPECT_EQ(trust_problem("/m.yaml", 0, 0100644, 1000, false), "") << "root is always trusted";
  std::string p = trust_problem("/m.yaml", 65534, 0100644, 0, false);
  EXPECT_NE(p.find("/m.yaml: owned by uid 65534, neither root nor the controller's user (uid 0)"), std::string::npos)
      << p;
  EXPECT_NE(trust_problem("/etc", 65534, 040755, 0, true).find("/etc (a directory above the manifests): owned by"),
            std::string::npos);
  EXPECT_NE(trust_problem("/m.yaml", 0, 0100620, 0, false).find("writable by group or others (mode 0620)"),
            std::string::npos);
}

}  // namespace
}  // namespace topo::watcher
