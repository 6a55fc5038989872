// SVG through libgvc: the picture is well-formed XML with an <svg> root and
// a titled group per container; what Graphviz refuses is an SvgError.
#include <gtest/gtest.h>

#include <algorithm>

#include "reconciler/graph/dot_format.hpp"
#include "reconciler/graph/graph_model.hpp"
#include "reconciler/graph/svg_render.hpp"
#include "tests/unit/graph_views.hpp"
#include "tests/unit/xml_check.hpp"

namespace topo::graph {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST(GraphXmlCheck, TellsWellFormedFromNot) {
  EXPECT_TRUE(testing::outline_xml("<?xml version=\"1.0\"?><svg a=\">\"><g><title>x</title></g></svg>"));
  EXPECT_FALSE(testing::outline_xml("<svg><g></svg>"));
  EXPECT_FALSE(testing::outline_xml("<svg></svg><svg></svg>"));
  EXPECT_FALSE(testing::outline_xml("<svg>"));
  EXPECT_EQ(testing::outline_xml("<svg><title>web&#45;a&#45;&gt;b</title></svg>")->titles,
            std::vector<std::string>{"web-a->b"});
}

TEST(GraphSvg, EveryViewRendersWithATitlePerContainer) {
  for (const view::TopologyView& v : {testing::bridge_view(), testing::macvlan_view(), testing::overlay_view()}) {
    const std::string svg = render_svg(format_dot(graph_of(v)));
    auto xml = testing::outline_xml(svg);
    ASSERT_TRUE(xml) << svg;
    EXPECT_EQ(xml->root, "svg");
    for (const auto& c : v.containers) EXPECT_TRUE(has(xml->titles, "container:" + c.name)) << c.name << "\n" << svg;
    for (const auto& n : v.networks) EXPECT_TRUE(has(xml->titles, "network:" + n.name)) << n.name;
  }
}

TEST(GraphSvg, RendersTwiceInOneProcess) {
  const std::string dot = format_dot(graph_of(testing::bridge_view()));
  EXPECT_EQ(render_svg(dot), render_svg(dot));
}

TEST(GraphSvg, WhatGraphvizRefusesIsAnError) {
  try {
    render_svg("digraph { a -> ");
    FAIL() << "a broken graph rendered";
  } catch (const SvgError& e) {
    EXPECT_NE(std::string(e.what()).find("syntax error"), std::string::npos) << e.what();
  }
}

}  // namespace topo::graph
