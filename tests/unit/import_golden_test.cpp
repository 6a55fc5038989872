// Golden tests of `topo import` (tests/golden/import/<kind>/<case>/): each
// case's input gives expected.yaml (the manifest) and expected.stderr (the
// notes); UPDATE_GOLDEN=1 rewrites both. Every expected manifest must load
// clean through the real loader.
#include <algorithm>
#include <filesystem>
#include <vector>

#include "reconciler/importers/cni_import.hpp"
#include "reconciler/importers/compose_import.hpp"
#include "reconciler/importers/docker_import.hpp"
#include "tests/unit/golden_file.hpp"
#include "tests/unit/import_test_util.hpp"

namespace topo::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(TOPO_TEST_DATA) / "golden" / "import";

std::vector<fs::path> cases(const std::string& kind) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kRoot / kind))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The case's input files in name order, all but the expectations.
std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().rfind("expected", 0) != 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void check_case(const fs::path& dir, const importers::ImportResult& r) {
  SCOPED_TRACE(dir.string());
  expect_matches_golden(r.manifest, dir / "expected.yaml");
  expect_matches_golden(notes_text(r), dir / "expected.stderr");
  EXPECT_EQ(load_errors(r.manifest), "") << "the imported manifest does not validate:\n" << r.manifest;
}

TEST(ImportGolden, Compose) {
  const auto all = cases("compose");
  ASSERT_GE(all.size(), 3u) << "compose cases are missing under " << kRoot;
  for (const fs::path& dir : all) {
    const auto in = inputs(dir);
    ASSERT_EQ(in.size(), 1u) << dir << ": one compose file expected";
    // Named as the user would type it, so the goldens hold no machine's paths.
    check_case(dir, importers::import_compose(in[0].filename().string(), read_file_text(in[0]),
                                              {"", dir.filename().string()}));
  }
}

TEST(ImportGolden, Docker) {
  const auto all = cases("docker");
  ASSERT_GE(all.size(), 1u);
  for (const fs::path& dir : all) {
    std::vector<importers::SourceText> texts;
    for (const fs::path& p : inputs(dir)) texts.push_back({p.filename().string(), read_file_text(p)});
    ASSERT_FALSE(texts.empty()) << dir;
    check_case(dir, importers::import_docker(texts, ""));
  }
}

TEST(ImportGolden, Cni) {
  const auto all = cases("cni");
  ASSERT_GE(all.size(), 2u);
  for (const fs::path& dir : all) {
    const auto in = inputs(dir);
    ASSERT_EQ(in.size(), 1u) << dir;
    check_case(dir, importers::import_cni(in[0].filename().string(), read_file_text(in[0]), ""));
  }
}

// README "Coming from Docker, compose, CNI or ip netns scripts" shows these
// cases' output verbatim, so it cannot drift from what topo prints.
TEST(ImportGolden, ReadmeShowsTheGoldenOutputs) {
  const std::string readme = read_file_text(fs::path(TOPO_TEST_DATA) / ".." / "README.md");
  ASSERT_FALSE(readme.empty());
  for (const char* c : {"compose/shop", "docker/readme", "cni/mynet"})
    EXPECT_NE(readme.find(read_file_text(kRoot / c / "expected.yaml")), std::string::npos)
        << "README no longer shows " << c << "/expected.yaml";
  for (const char* c : {"docker/readme", "cni/mynet"})
    EXPECT_NE(readme.find(read_file_text(kRoot / c / "expected.stderr")), std::string::npos)
        << "README no longer shows " << c << "/expected.stderr";
}

}  // namespace
}  // namespace topo::testing
