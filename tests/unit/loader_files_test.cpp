// Loader: which files are read, in which order, and how bad files are refused.
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

std::string network(const std::string& name, const std::string& subnet) {
  return "networks:\n  - name: " + name + "\n    subnet: " + subnet + "\n";
}

TEST_F(LoaderTest, DirectoryIsWalkedRecursivelyInSortedOrderSkippingDotNames) {
  // A duplicate name is reported at the second definition, so the error tells
  // which of two files was read first.
  write("m/b.yaml", network("n", "10.0.0.0/24"));
  write("m/a/z.yml", network("n", "10.0.1.0/24"));
  write("m/.hidden.yaml", network("hidden", "10.0.2.0/24\n    mtu: bogus"));
  write("m/.git/x.yaml", "not: [valid");
  write("m/notes.txt", "this is not yaml: [");
  const LoadResult r = load({"m"});
  expect_single_error(r, "m/b.yaml:2:5", "network \"n\" is defined twice: first at m/a/z.yml:2:5");
}

TEST_F(LoaderTest, ExplicitFileIsReadWhateverItsName) {
  write("manifest.txt", network("n", "10.0.0.0/24"));
  const LoadResult r = load({"manifest.txt"});
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.desired.networks.size(), 1u);
  EXPECT_EQ(r.desired.networks[0].name, "n");
}

TEST_F(LoaderTest, FileNamedTwiceIsReadOnce) {
  write("m/a.yaml", network("n", "10.0.0.0/24"));
  const LoadResult r = load({"m", "m/a.yaml"});
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(LoaderTest, MissingPathIsAnErrorNamingIt) {
  write("a.yaml", network("n", "10.0.0.0/24"));
  const LoadResult r = load({"a.yaml", "nope.yaml"});
  expect_single_error(r, "nope.yaml", "no such file or directory");
}

TEST_F(LoaderTest, DirectoryWithoutManifestsIsAnError) {
  write("empty/readme.md", "nothing");
  const LoadResult r = load({"empty"});
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_NE(r.errors[0].message.find("no manifest files found"), std::string::npos);
}

TEST_F(LoaderTest, MultiDocumentStreamMergesDocuments) {
  const LoadResult r = load_text(network("a", "10.0.0.0/24") + "---\n" + network("b", "10.0.1.0/24") +
                                 "---\n# only a comment\n---\ncontainers:\n  - name: c\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.desired.networks.size(), 2u);
  EXPECT_EQ(r.desired.networks[1].name, "b");
  EXPECT_EQ(r.desired.networks[1].where.line, 6);
  ASSERT_EQ(r.desired.containers.size(), 1u);
}

TEST_F(LoaderTest, YamlSyntaxErrorHasLineAndColumn) {
  const LoadResult r = load_text("networks:\n  - name: a\n    subnet: [10.0.0.0/24\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].where.file, path("a.yaml"));
  EXPECT_GE(r.errors[0].where.line, 3);
  EXPECT_NE(r.errors[0].message.find("invalid YAML"), std::string::npos);
}

TEST_F(LoaderTest, FileOverFourMebibytesIsRefused) {
  std::string big = "# padding\n";
  big.reserve((4u << 20) + 100);
  while (big.size() <= (4u << 20)) big += "# ..................................................................\n";
  write("big.yaml", big);
  const LoadResult r = load({"big.yaml"});
  expect_single_error(r, "big.yaml", "larger than 4 MiB");
}

TEST_F(LoaderTest, AliasBombIsRefusedWithoutExpanding) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 8; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  const LoadResult r = load_text(text);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_NE(r.errors[0].message.find("more than 200000 nodes"), std::string::npos) << dump(r);
}

TEST_F(LoaderTest, DeepNestingIsRefused) {
  const LoadResult r = load_text("networks: " + std::string(100, '[') + std::string(100, ']') + "\n");
  expect_single_error(r, "a.yaml:1:75", "nesting deeper than 64");
}

// libyaml's scanner costs O(tokens x open flow collections): 100 000 '['
// took 23 s before the parse was stopped at the bound. Each of these is a
// 4 MiB file; a slow parse shows as a test timeout.
TEST_F(LoaderTest, HugeNestingIsRefusedEarly) {
  const std::size_t n = (4u << 20) - 64;
  for (const std::string& unit : {std::string("["), std::string("{a: "), std::string("- "), std::string("? ")}) {
    std::string text;
    while (text.size() + unit.size() < n) text += unit;
    const LoadResult r = load_text(text);
    ASSERT_EQ(r.errors.size(), 1u) << unit << "\n" << dump(r);
    EXPECT_NE(r.errors[0].message.find("nesting deeper than 64"), std::string::npos) << unit << "\n" << dump(r);
  }
}

TEST_F(LoaderTest, DuplicateKeyInOneMappingIsAnError) {
  const LoadResult r = load_text("networks:\n  - name: a\n    subnet: 10.0.0.0/24\n    name: b\n");
  expect_single_error(r, "a.yaml:4:5", "key \"name\" appears twice in this mapping: first at a.yaml:2:5");
}

TEST_F(LoaderTest, ErrorsComeInFileOrder) {
  write("m/1.yaml", "networks:\n  - name: a\n    mtu: 1\n    subnet: 10.0.0.0/24\n");
  write("m/2.yaml", "networks:\n  - name: b\n    bogus: 1\n    subnet: 10.0.1.0/24\n");
  write("m/0.yaml", "containers:\n  - name: c\n    nope: 1\n");
  const LoadResult r = load({"m"});
  const std::vector<std::string> e = errors(r);
  ASSERT_EQ(e.size(), 3u) << dump(r);
  EXPECT_EQ(e[0].rfind("m/0.yaml:3:5: ", 0), 0u) << dump(r);
  EXPECT_EQ(e[1].rfind("m/1.yaml:3:10: ", 0), 0u) << dump(r);
  EXPECT_EQ(e[2].rfind("m/2.yaml:3:5: ", 0), 0u) << dump(r);
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

TEST_F(LoaderTest, HugeScalarIsRefusedBeforeAnyPatternRuns) {
  const LoadResult r = load_text("attachments:\n  - container: c\n    network: n\n    interface: " +
                                 std::string(1 << 20, 'a') + "\n");
  expect_single_error(r, "a.yaml:4:16", "value longer than 4096 characters");
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

TEST_F(LoaderTest, UnsupportedTagIsAnError) {
  const LoadResult r = load_text("containers:\n  - name: !custom c\n");
  expect_single_error(r, "a.yaml:2:11", "unsupported YAML tag \"!custom\"");
}

TEST_F(LoaderTest, QuotedTextStaysText) {
  const LoadResult r = load_text("containers:\n  - name: \"true\"\n    hostname: !!str 0100\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.containers[0].name, "true");
  EXPECT_EQ(r.desired.containers[0].hostname, "0100");
}

// manifest.md "Files": what cannot be read as a regular file is an error
// naming it, never skipped (skipped, its objects were planned for destruction).
TEST_F(LoaderTest, DanglingLoopingAndSpecialFilesInADirectoryAreErrors) {
  write("m/a.yaml", "networks:\n  - {name: n, subnet: 10.0.0.0/24}\n");
  std::filesystem::create_symlink("gone.yaml", path("m/dangling.yaml"));
  std::filesystem::create_symlink("loop2.yaml", path("m/loop1.yaml"));
  std::filesystem::create_symlink("loop1.yaml", path("m/loop2.yaml"));
  ASSERT_EQ(::mkfifo(path("m/fifo.yaml").c_str(), 0644), 0);
  std::filesystem::create_symlink("/dev/null", path("m/device.yml"));
  std::filesystem::create_directories(path("real"));
  std::filesystem::create_symlink(path("real"), path("m/dir.yaml"));
  std::filesystem::create_symlink("a.yaml", path("m/b-link.yaml"));  // a link to a file is read
  std::filesystem::create_symlink("gone", path("m/notes.txt"));      // not a manifest name: ignored
  std::filesystem::create_symlink("gone.yaml", path("m/.hidden.yaml"));
  const LoadResult r = load({"m"});
  ASSERT_EQ(r.errors.size(), 6u) << dump(r);
  expect_error(r, "m/dangling.yaml", "is a dangling symlink (to gone.yaml)");
  expect_error(r, "m/loop1.yaml", "is a symlink loop");
  expect_error(r, "m/loop2.yaml", "is a symlink loop");
  expect_error(r, "m/fifo.yaml", "is a FIFO, not a regular file");
  expect_error(r, "m/device.yml", "is a device, not a regular file");
  expect_error(r, "m/dir.yaml", "is a symlink to a directory, which is not followed");
}

// Given on the command line: the same, and a FIFO is never opened (it would block).
TEST_F(LoaderTest, GivenPathsThatAreNotRegularFilesAreErrors) {
  ASSERT_EQ(::mkfifo(path("fifo.yaml").c_str(), 0644), 0);
  std::filesystem::create_symlink("gone.yaml", path("dangling.yaml"));
  std::filesystem::create_symlink("loop.yaml", path("loop.yaml"));
  const LoadResult r = load({"fifo.yaml", "dangling.yaml", "loop.yaml"});
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  expect_error(r, "fifo.yaml", "is a FIFO");
  expect_error(r, "dangling.yaml", "is a dangling symlink (to gone.yaml)");
  expect_error(r, "loop.yaml", "is a symlink loop");
  const LoadResult dev = load_manifests({"/dev/null"});
  ASSERT_EQ(dev.errors.size(), 1u) << dump(dev);
  EXPECT_EQ(dev.errors[0].str(), "/dev/null: is a device, not a regular file; a manifest must be a regular file");
}

TEST_F(LoaderTest, UnreadableFileIsAnErrorNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  write("a.yaml", "networks:\n  - {name: n, subnet: 10.0.0.0/24}\n");
  std::filesystem::permissions(path("a.yaml"), std::filesystem::perms::none);
  expect_single_error(load({"a.yaml"}), "a.yaml", "Permission denied");
}

}  // namespace
}  // namespace topo::testing
