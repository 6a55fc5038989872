// Drivers own their keys (providers/<driver>/*_settings.*): the schema, the
// registry and the loader's "applies to" messages must agree with them.
#include <set>

#include <nlohmann/json.hpp>

#include "providers/provider.hpp"
#include "reconciler/loader/builtin_schema.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

using nlohmann::json;

const json& schema() {
  static const json s = json::parse(loader::builtin_schema_text());
  return s;
}

// The keys every network has, whatever its driver (model/desired.hpp Network).
const std::set<std::string> kSharedKeys{"name", "driver", "subnet", "gateway", "ip_range", "subnets", "mtu", "internal"};

TEST(DriverRegistry, TheSchemaNamesEveryRegisteredDriverAndNoOther) {
  std::set<std::string> registered, in_schema;
  for (const Provider* p : all_providers()) registered.insert(to_string(p->driver()));
  for (const json& name : schema()["definitions"]["network"]["properties"]["driver"]["enum"])
    in_schema.insert(name.get<std::string>());
  EXPECT_EQ(registered, in_schema);
}

TEST(DriverRegistry, EveryNetworkKeyIsSharedOrSomeDriversOwn) {
  std::set<std::string> owned, in_schema;
  for (const Provider* p : all_providers())
    for (const std::string& key : p->keys()) owned.insert(key);
  for (const auto& [key, value] : schema()["definitions"]["network"]["properties"].items())
    if (!kSharedKeys.count(key)) in_schema.insert(key);
  EXPECT_EQ(owned, in_schema);
}

TEST(DriverRegistry, ProvidersAreFoundByTheirDriversName) {
  for (const Provider* p : all_providers()) {
    EXPECT_EQ(provider_named(to_string(p->driver())), p);
    EXPECT_EQ(provider_for(p->driver()), p);
  }
  EXPECT_EQ(provider_named("p2p-not-yet"), nullptr);
}

// A key of another driver is refused, and the driver that takes it still
// tells what is wrong with its value.
TEST_F(LoaderTest, AnotherDriversKeyIsRefusedAndItsValueStillChecked) {
  const LoadResult r = load_text(R"(networks:
  - {name: m, driver: macvlan, parent: eth0, subnet: 10.0.0.0/24, internal: true, bridge: lo, routed: true}
  - {name: b, subnet: 10.0.1.0/24, parent: lo, mode: l3}
)");
  ASSERT_EQ(r.errors.size(), 7u) << dump(r);
  expect_error(r, "a.yaml:2:91", "network \"m\": \"bridge\" applies to bridge and overlay networks only, not to driver macvlan");
  expect_error(r, "a.yaml:2:91", "network \"m\": bridge \"lo\" is the host's loopback interface");
  expect_error(r, "a.yaml:2:103", "network \"m\": \"routed\" applies to bridge networks only, not to driver macvlan");
  expect_error(r, "a.yaml:2:103", "routed: true contradicts internal: true");
  expect_error(r, "a.yaml:3:44", "network \"b\": \"parent\" applies to macvlan and ipvlan networks only, not to driver bridge");
  expect_error(r, "a.yaml:3:44", "parent \"lo\" is the host's loopback interface; bridge needs a real host interface");
  expect_error(r, "a.yaml:3:54", "\"mode\" applies to macvlan and ipvlan networks only, not to driver bridge");
}

}  // namespace
}  // namespace topo::testing
