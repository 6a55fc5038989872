// Inputs the loader fuzzer (scripts/fuzz.sh) found, each kept as a test: the
// loader must answer with errors, bounded in time and memory, never crash.
#include <fstream>
#include <sstream>

#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

std::string read_regression(const std::string& name) {
  std::ifstream in(std::string(TOPO_TEST_DATA) + "/fuzz/regressions/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// yaml-cpp 0.7 (topo's first parser) yielded empty documents forever on a
// ',' outside a flow collection (jbeder/yaml-cpp#1040); the fuzzer saw it eat
// over 1 GiB. Kept: any parser must answer these with one error.
TEST_F(LoaderTest, AStrayCommaIsAnErrorNotAnEndlessParse) {
  expect_single_error(load_text(","), "a.yaml:1:1", "invalid YAML");
  expect_single_error(load_text("version: 1\n,\n"), "a.yaml:2:1", "invalid YAML");
}

TEST_F(LoaderTest, TheFuzzerInputWithAStrayCommaIsAnError) {
  const std::string text = read_regression("oom-stray-comma.yaml");
  ASSERT_FALSE(text.empty()) << "regression input missing";
  LoadResult r = load_text(text);
  ASSERT_FALSE(r.ok());
  expect_error(r, "a.yaml:1:1", "invalid YAML");
}

TEST_F(LoaderTest, ManyDocumentsAreFineUpToTheBound) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "---\nversion: 1\n";
  LoadResult r = load_text(many);
  EXPECT_TRUE(r.ok()) << dump(r);
}

// A byte 0xFF inside a name made valijson's UTF-8 length count index past
// its table (UBSan). Text that is not UTF-8 is refused before any parsing.
TEST_F(LoaderTest, TheFuzzerInputWithInvalidUtf8IsAnError) {
  const std::string text = read_regression("ubsan-invalid-utf8.yaml");
  ASSERT_FALSE(text.empty()) << "regression input missing";
  LoadResult r = load_text(text);
  expect_single_error(r, "a.yaml:3:13", "not valid UTF-8");
}

TEST_F(LoaderTest, Utf8IsCheckedStrictly) {
  // Each: a bad sequence after "a: ", so the error is at 1:4.
  for (const std::string bad : {"\xff", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* surrogate */,
                                "\xf4\x90\x80\x80" /* above U+10FFFF */, "\xe2\x82" /* cut short */}) {
    LoadResult r = load_text("a: " + bad + "\n");
    expect_single_error(r, "a.yaml:1:4", "not valid UTF-8");
  }
  // Real UTF-8 passes this check (and fails later, on the schema, as any unknown key would).
  LoadResult ok = load_text("version: 1\ncontainers:\n  - name: caf\xc3\xa9\n");
  for (const auto& e : errors(ok)) EXPECT_EQ(e.find("UTF-8"), std::string::npos) << e;
}

}  // namespace
}  // namespace topo::testing
