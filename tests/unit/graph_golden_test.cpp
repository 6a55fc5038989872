// Golden pictures: each hand-built view of graph_views.hpp drawn in DOT,
// Mermaid and JSON is compared with tests/golden/graph/<case>.<ext>.
// UPDATE_GOLDEN=1 rewrites them from the current output, for review in the diff.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "reconciler/graph/dot_format.hpp"
#include "reconciler/graph/graph_model.hpp"
#include "reconciler/graph/json_format.hpp"
#include "reconciler/graph/mermaid_format.hpp"
#include "tests/unit/golden_file.hpp"
#include "tests/unit/graph_views.hpp"

namespace topo::graph {
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string name;
  std::function<view::TopologyView()> view;
};

struct Format {
  std::string extension;
  std::function<std::string(const Graph&)> format;
};

const Case kCases[] = {{"bridge", testing::bridge_view}, {"macvlan", testing::macvlan_view}, {"overlay", testing::overlay_view}};
const Format kFormats[] = {{"dot", format_dot}, {"mmd", format_mermaid}, {"json", format_json}};

class GraphGolden : public ::testing::TestWithParam<std::tuple<int, int>> {};

}  // namespace

TEST_P(GraphGolden, MatchesTheExpectedPicture) {
  const Case& c = kCases[std::get<0>(GetParam())];
  const Format& f = kFormats[std::get<1>(GetParam())];
  const fs::path file = fs::path(TOPO_TEST_DATA) / "golden" / "graph" / (c.name + "." + f.extension);
  testing::expect_matches_golden(f.format(graph_of(c.view())), file);
}

INSTANTIATE_TEST_SUITE_P(Graph, GraphGolden, ::testing::Combine(::testing::Range(0, 3), ::testing::Range(0, 3)),
                         [](const auto& info) {
                           return kCases[std::get<0>(info.param)].name + "_" +
                                  kFormats[std::get<1>(info.param)].extension;
                         });

}  // namespace topo::graph
