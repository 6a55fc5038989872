// Every example shipped in examples/ must load without a single error: they
// are what users copy first.
#include <gtest/gtest.h>

#include <filesystem>

#include "reconciler/loader/loader.hpp"

namespace topo {
namespace {

TEST(LoaderExamples, EveryExampleLoadsClean) {
  const std::filesystem::path root = TOPO_EXAMPLES;
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root << " is missing";
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const bool manifest_file = entry.is_regular_file() &&
                               (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml");
    if (!entry.is_directory() && !manifest_file) continue;
    // examples/cluster is for cluster mode (--etcd): its nodes register in etcd.
    LoadOptions options;
    options.cluster = name == "cluster";
    const LoadResult r = load_manifests({entry.path().string()}, options);
    std::string errors;
    for (const LoadError& e : r.errors) errors += "  " + e.str() + "\n";
    EXPECT_TRUE(r.ok()) << "example " << name << ":\n" << errors;
    if (entry.is_directory()) {
      EXPECT_FALSE(r.desired.networks.empty() && r.desired.containers.empty()) << name;
    }
    ++loaded;
  }
  EXPECT_GT(loaded, 0) << "no examples found under " << root;
}

TEST(LoaderExamples, QuickstartIsTheIssueTopology) {
  const LoadResult r = load_manifests({std::string(TOPO_EXAMPLES) + "/quickstart"});
  ASSERT_TRUE(r.ok());
  const Network* n = r.desired.network("network01");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->subnets.size(), 1u);
  EXPECT_EQ(n->subnets[0].subnet.str(), "172.10.0.0/24");
  EXPECT_EQ(n->subnets[0].gateway->str(), "172.10.0.1");
  EXPECT_NE(r.desired.container("c1"), nullptr);
  EXPECT_NE(r.desired.container("c2"), nullptr);
  EXPECT_EQ(r.desired.attachments.size(), 2u);
}

}  // namespace
}  // namespace topo
