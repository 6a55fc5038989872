#pragma once
// A fixture for provider tests that start from manifests: load, allocate,
// render, failing the test on any error along the way.
#include <string>
#include <vector>

#include "providers/provider.hpp"
#include "reconciler/ipam/ipam.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {

class RenderTest : public LoaderTest {
 protected:
  std::vector<Resource> render(const std::string& yaml) {
    LoadResult r = load_text(yaml);
    EXPECT_TRUE(r.ok()) << dump(r);
    auto ipam = allocate(r.desired, {}, {});
    EXPECT_TRUE(ipam.errors.empty());
    auto out = render_all(r.desired, ipam.allocations);
    EXPECT_TRUE(out.errors.empty()) << (out.errors.empty() ? "" : out.errors.front());
    return out.resources;
  }
  static const Resource* find(const std::vector<Resource>& rs, const std::string& key) {
    for (const auto& r : rs)
      if (r.key() == key) return &r;
    return nullptr;
  }
  static std::string keys(const std::vector<Resource>& rs) {
    std::string s;
    for (const auto& r : rs) s += "  " + r.key() + "\n";
    return s;
  }
};

}  // namespace topo::testing
