// manifest.md "Cluster mode (etcd)": per-node subnets are leased from etcd,
// so a plan without cluster mode refuses them, naming the network, and
// touches nothing. (validate accepts them: the manifest is right.)
#include <gtest/gtest.h>

#include "reconciler/pipeline/pipeline.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

using PipelineClusterKeys = LoaderTest;

TEST_F(PipelineClusterKeys, APlanWithoutClusterModeRefusesSubnetPerNode) {
  const std::string file =
      write("m.yaml", "networks:\n  - {name: ov, driver: overlay, vni: 7, subnet: 10.70.0.0/16, subnet_per_node: 24}\n"
                      "containers:\n  - name: a\nattachments:\n  - {container: a, network: ov}\n");
  EXPECT_TRUE(load_manifests({file}).ok()) << "validate takes the keys";
  FakeKernel kernel;
  PlanInputs in;
  in.paths = {file};
  in.state_dir = path("state");
  try {
    prepare(in, kernel);
    FAIL() << "planned per-node subnets without cluster mode";
  } catch (const UserError& e) {
    ASSERT_EQ(e.lines.size(), 2u);
    EXPECT_EQ(rel(e.lines[0]), "m.yaml:2:5: network ov: \"subnet_per_node\" needs cluster mode: run topo with --etcd URL "
                               "and --node NAME");
    EXPECT_EQ(e.lines[1], "nothing was changed.");
  }
  EXPECT_TRUE(kernel.calls.empty());
}

}  // namespace
}  // namespace topo::testing
