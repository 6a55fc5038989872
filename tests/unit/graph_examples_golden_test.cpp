// Golden pictures of examples/ (issue 18): every example, loaded as `topo
// graph` loads it and drawn as the manifests' own picture (subnets from the
// default pools, addresses as on a fresh host: graph/manifest_view.hpp, what
// the command draws for multi-host manifests without --node), in DOT, Mermaid
// and JSON, compared with tests/golden/graph/examples/<example>.<ext>.
// No kernel, no state dir. UPDATE_GOLDEN=1 rewrites them, for review in the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "reconciler/graph/dot_format.hpp"
#include "reconciler/graph/graph_model.hpp"
#include "reconciler/graph/json_format.hpp"
#include "reconciler/graph/manifest_view.hpp"
#include "reconciler/graph/mermaid_format.hpp"
#include "reconciler/loader/loader.hpp"
#include "tests/unit/golden_file.hpp"

namespace topo::graph {
namespace fs = std::filesystem;

namespace {

// examples/cluster is not drawn: in cluster mode (--etcd) each node's share
// of the subnet and every member's address come from etcd, so a picture
// without etcd's facts (addresses from the whole /16, no shares) is one
// `topo graph` never prints, and pinning it would mislead. Without --etcd the
// command refuses that manifest. (The cluster slice has tests of its own.)
bool drawn_without_etcd(const std::string& example) { return example != "cluster"; }

// The example folders drawn, sorted so the test names are stable.
std::vector<std::string> example_names() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(TOPO_EXAMPLES)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name[0] != '.' && drawn_without_etcd(name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class GraphExamplesGolden : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(GraphExamplesGolden, MatchesTheExpectedPictures) {
  const std::string name = GetParam();
  const LoadResult loaded = load_manifests({(fs::path(TOPO_EXAMPLES) / name).string()});
  ASSERT_TRUE(loaded.ok()) << name;
  view::TopologyView v;
  ASSERT_NO_THROW(v = manifest_view(loaded.desired, default_address_pools(), "/run/netns"));
  const Graph picture = graph_of(v);
  const fs::path dir = fs::path(TOPO_TEST_DATA) / "golden" / "graph" / "examples";
  testing::expect_matches_golden(format_dot(picture), dir / (name + ".dot"));
  testing::expect_matches_golden(format_mermaid(picture), dir / (name + ".mmd"));
  testing::expect_matches_golden(format_json(picture), dir / (name + ".json"));
}

INSTANTIATE_TEST_SUITE_P(GraphExamples, GraphExamplesGolden, ::testing::ValuesIn(example_names()),
                         [](const auto& info) {
                           std::string n = info.param;  // gtest names: letters, digits and '_'
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// A golden for an example that is gone (or not drawn) would pin nothing:
// every golden file names an example drawn above.
TEST(GraphExamplesGoldenFiles, EveryGoldenIsOfAnExample) {
  const std::vector<std::string> names = example_names();
  EXPECT_GE(names.size(), 10u) << "examples/ went missing from " << TOPO_EXAMPLES;
  const fs::path dir = fs::path(TOPO_TEST_DATA) / "golden" / "graph" / "examples";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_NE(std::find(names.begin(), names.end(), entry.path().stem().string()), names.end()) << entry.path();
}

}  // namespace topo::graph
