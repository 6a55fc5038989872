// `apply --metrics-file` (issue 19): a one-shot apply leaves what the
// controller leaves for node_exporter's textfile collector: the run's
// outcome, the objects it manages by kind and stack, and which topo it was.
#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"
#include "tests/prom_check.hpp"

namespace topo::e2e {
namespace {

class E2EApplyMetrics : public E2ETest {};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(E2EApplyMetrics, AnApplyWritesItsOutcomeAndTheManagedObjects) {
  const std::string good =
             "version: 1\nstack: met\nnetworks:\n  - {name: mt, subnet: 172.24.10.0/24}\ncontainers:\n"
             "  - name: m1\n  - name: m2\nattachments:\n  - {container: m1, network: mt}\n"
             "  - {container: m2, network: mt}\n";
  dir_.write("m.yaml", good);
  const std::string file = dir_.path() + "/topo.prom";
  CmdResult r = apply({"--metrics-file", file});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string text = read_file(file);
  auto p = topo::testing::parse_prometheus_text(text);
  EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << text;
  EXPECT_EQ(p.samples["topo_apply_last_success"], 1) << text;
  EXPECT_GE(p.samples["topo_apply_last_changes"], 6) << text;
  EXPECT_NE(text.find("topo_managed_objects{kind=\"namespace\",stack=\"met\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("topo_build_info{version=\""), std::string::npos) << text;

  // A run that fails says so, and keeps no stale counts of what is in force.
  dir_.write("m.yaml", "version: 1\nstack: met\nnetworks:\n  - {name: mt, subnet: not-a-subnet}\n");
  r = apply({"--metrics-file", file});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string after = read_file(file);
  EXPECT_NE(after.find("topo_apply_last_success 0\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("topo_managed_objects{"), std::string::npos) << after;
  dir_.write("m.yaml", good);  // for the teardown's destroy
}

}  // namespace
}  // namespace topo::e2e
