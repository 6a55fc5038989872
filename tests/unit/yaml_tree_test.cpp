// The YAML tree the loader reads (reconciler/loader/yaml_tree.hpp), built by
// yaml_source.cpp from libyaml's events: kinds, tags, marks and aliases as
// the schema check and the reader rely on them.
#include <gtest/gtest.h>

#include "reconciler/loader/yaml_json.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace topo::loader {
namespace {

std::vector<YamlDocument> parse(const std::string& text, Diagnostics& diag) {
  std::vector<YamlDocument> docs;
  parse_yaml_text("a.yaml", text, docs, diag);
  return docs;
}

YamlNode only_root(const std::string& text) {
  Diagnostics diag;
  std::vector<YamlDocument> docs = parse(text, diag);
  EXPECT_TRUE(diag.empty()) << (diag.empty() ? "" : diag.errors()[0].message);
  EXPECT_EQ(docs.size(), 1u);
  static std::vector<YamlDocument> keep;  // the tree must outlive the node
  keep.push_back(docs.at(0));
  return docs.at(0).root;
}

TEST(YamlTree, KindsFollowTheCoreSchemasNulls) {
  const YamlNode root = only_root("a: ~\nb: null\nc:\nd: 'null'\ne: !!str null\nf: x\n");
  for (const char* k : {"a", "b", "c"}) EXPECT_TRUE(root[k].is_null()) << k;
  EXPECT_TRUE(root["d"].is_scalar());
  EXPECT_EQ(root["d"].scalar(), "null");
  EXPECT_TRUE(root["e"].is_scalar()) << "an explicit !!str is text";
  EXPECT_EQ(root["f"].scalar(), "x");
  EXPECT_FALSE(root["missing"].defined());
  EXPECT_FALSE(root["f"]["deeper"].defined()) << "a scalar has no keys";
}

TEST(YamlTree, TagsSayHowAScalarWasWritten) {
  const YamlNode root = only_root("plain: 1500\nquoted: \"1500\"\ntagged: !!int 7\nmap: {}\n");
  EXPECT_EQ(root["plain"].tag(), "?");
  EXPECT_EQ(root["quoted"].tag(), "!");
  EXPECT_EQ(root["tagged"].tag(), "tag:yaml.org,2002:int");
  EXPECT_EQ(root["map"].tag(), "?");
  EXPECT_EQ(scalar_kind(root["plain"]), ScalarKind::Integer);
  EXPECT_EQ(scalar_kind(root["quoted"]), ScalarKind::String);
}

TEST(YamlTree, MarksAreZeroBasedLineAndColumn) {
  const YamlNode root = only_root("networks:\n  - name: web\n    mtu: 1500\n");
  const YamlNode net = root["networks"][0];
  EXPECT_EQ(net.mark().line, 1);
  EXPECT_EQ(net.mark().column, 4);
  EXPECT_EQ(net["mtu"].mark().line, 2);
  EXPECT_EQ(net["mtu"].mark().column, 9);
  EXPECT_EQ(net.key("mtu").mark().column, 4);
}

TEST(YamlTree, EntriesKeepFileOrderAndDuplicates) {
  const YamlNode root = only_root("b: 1\na: 2\nb: 3\n");
  ASSERT_EQ(root.size(), 3u);
  EXPECT_EQ(root.entries()[0].first.scalar(), "b");
  EXPECT_EQ(root.entries()[1].first.scalar(), "a");
  EXPECT_EQ(root["b"].scalar(), "1") << "lookup finds the first";
}

TEST(YamlTree, AnAliasIsTheAnchoredNodeItself) {
  const YamlNode root = only_root("x: &n [1, 2]\ny: *n\n");
  EXPECT_TRUE(root["x"].same(root["y"]));
  EXPECT_EQ(root["y"].size(), 2u);
}

TEST(YamlTree, AnAliasToAnUnknownOrEnclosingAnchorIsAnError) {
  for (const char* text : {"a: *nowhere\n", "a: &self [*self]\n"}) {
    Diagnostics diag;
    parse(text, diag);
    ASSERT_EQ(diag.size(), 1u) << text;
    EXPECT_NE(diag.errors()[0].message.find("names no anchor"), std::string::npos) << diag.errors()[0].message;
  }
}

TEST(YamlTree, EmptyDocumentsAreSkippedButCounted) {
  Diagnostics diag;
  const std::vector<YamlDocument> docs = parse("---\n# nothing\n---\na: 1\n---\n", diag);
  ASSERT_TRUE(diag.empty());
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].index, 1);
}

TEST(YamlTree, AParseErrorNamesItsPlace) {
  Diagnostics diag;
  EXPECT_TRUE(parse("a: 1\n b: 2\n", diag).empty());
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.errors()[0].where.line, 2);
  EXPECT_NE(diag.errors()[0].message.find("invalid YAML: "), std::string::npos);
}

TEST(YamlTree, PlainScalarKindsWithoutRegex) {
  const std::pair<const char*, ScalarKind> cases[] = {
      {"0", ScalarKind::Integer},    {"-12", ScalarKind::Integer}, {"+7", ScalarKind::Integer},
      {"0100", ScalarKind::Integer}, {"1.5", ScalarKind::Float},   {".5", ScalarKind::Float},
      {"5.", ScalarKind::Float},     {"1e3", ScalarKind::Float},   {"-2.5E-3", ScalarKind::Float},
      {".inf", ScalarKind::Float},   {"-.Inf", ScalarKind::Float}, {".NaN", ScalarKind::Float},
      {"true", ScalarKind::Bool},    {"~", ScalarKind::Null},      {"", ScalarKind::Null},
      {".", ScalarKind::String},     {"-", ScalarKind::String},    {"1e", ScalarKind::String},
      {"e3", ScalarKind::String},    {"1.2.3", ScalarKind::String}, {"10.0.0.0/24", ScalarKind::String},
      {"-.nan", ScalarKind::String}, {"0x1F", ScalarKind::String}, {"1_000", ScalarKind::String},
  };
  for (const auto& [text, kind] : cases) EXPECT_EQ(plain_scalar_kind(text), kind) << '"' << text << '"';
}

}  // namespace
}  // namespace topo::loader
