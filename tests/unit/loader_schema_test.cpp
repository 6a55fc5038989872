// Loader: JSON Schema errors, one test per kind, each with its exact place.
#include <fstream>
#include <sstream>

#include "reconciler/loader/builtin_schema.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

TEST_F(LoaderTest, TypedScalarsValidate) {
  const LoadResult r = load_text(R"(version: 1
networks:
  - name: n
    subnet: 10.0.0.0/24
    mtu: 1500
    internal: true
    icc: false
    masquerade: false
containers:
  - name: "1234"
    sysctls: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.disable_ipv6: "0"}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.networks[0].mtu, 1500);
  EXPECT_TRUE(r.desired.networks[0].internal);
  EXPECT_EQ(r.desired.containers[0].sysctls.at("net.ipv4.ip_forward"), "1");
}

TEST_F(LoaderTest, UnknownKeySuggestsTheCloseOne) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    mtuu: 1400\n");
  expect_single_error(r, "a.yaml:4:5", "networks[0]: unknown key \"mtuu\" (did you mean \"mtu\"?)");
}

TEST_F(LoaderTest, EveryUnknownKeyOfAnObjectIsReported) {
  const LoadResult r = load_text("containers:\n  - name: c\n    colour: red\n    flavour: mint\n");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:3:5", "unknown key \"colour\"");
  expect_error(r, "a.yaml:4:5", "unknown key \"flavour\"");
}

TEST_F(LoaderTest, UnknownTopLevelKey) {
  const LoadResult r = load_text("version: 1\nnetwork:\n  - name: n\n");
  expect_single_error(r, "a.yaml:2:1", "unknown key \"network\" (did you mean \"networks\"?)");
}

TEST_F(LoaderTest, MissingRequiredKey) {
  const LoadResult r = load_text("attachments:\n  - container: c\n");
  expect_single_error(r, "a.yaml:2:5", "attachments[0]: missing required key \"network\"");
}

TEST_F(LoaderTest, MtuOutOfRange) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    mtu: 65536\n");
  expect_single_error(r, "a.yaml:4:10", "networks[0].mtu: expected an integer between 68 and 65535, got 65536");
}

TEST_F(LoaderTest, MtuNotANumber) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    mtu: \"1500\"\n");
  expect_single_error(r, "a.yaml:4:10", "expected an integer between 68 and 65535, got \"1500\"");
}

TEST_F(LoaderTest, VniAndPortRanges) {
  const LoadResult r = load_text(
      "networks:\n  - name: n\n    driver: overlay\n    subnet: 10.0.0.0/24\n    vni: 16777216\n    port: 0\n");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:5:10", "expected an integer between 1 and 16777215");
  expect_error(r, "a.yaml:6:11", "expected an integer between 1 and 65535");
}

TEST_F(LoaderTest, YesIsNotABoolean) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    internal: yes\n");
  expect_single_error(r, "a.yaml:4:15", "networks[0].internal: expected true or false, got \"yes\"");
}

TEST_F(LoaderTest, DriverEnum) {
  const LoadResult r = load_text("networks:\n  - name: n\n    driver: vlan\n");
  expect_single_error(r, "a.yaml:3:13", "expected bridge, macvlan, ipvlan, overlay or p2p, got \"vlan\"");
}

TEST_F(LoaderTest, NamePattern) {
  const LoadResult r = load_text("containers:\n  - name: -web\n");
  expect_single_error(r, "a.yaml:2:11", "containers[0].name: expected a name");
}

TEST_F(LoaderTest, EmptyValueIsNothing) {
  const LoadResult r = load_text("containers:\n  - name:\n");
  expect_single_error(r, "a.yaml:2:5", "containers[0].name: expected a name");
  EXPECT_NE(dump(r).find("got nothing"), std::string::npos);
}

TEST_F(LoaderTest, NumberWhereTextIsExpectedHintsAtQuotes) {
  const LoadResult r = load_text("containers:\n  - name: 0100\n");
  expect_single_error(r, "a.yaml:2:11", "got 0100 (put it in quotes to use it as text)");
}

TEST_F(LoaderTest, InterfaceNameLongerThan15Bytes) {
  const LoadResult r = load_text(
      "attachments:\n  - container: c\n    network: n\n    interface: a-very-long-name0\n");
  expect_single_error(r, "a.yaml:4:16", "attachments[0].interface: expected an interface name of at most 15");
}

TEST_F(LoaderTest, BridgeNameLongerThan15Bytes) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    bridge: br-0123456789abc\n");
  expect_single_error(r, "a.yaml:4:13", "networks[0].bridge: expected an interface name");
}

TEST_F(LoaderTest, OnlyVersionOne) {
  const LoadResult r = load_text("version: 2\n");
  expect_single_error(r, "a.yaml:1:10", "version: expected 1 (the only manifest version), got 2");
}

TEST_F(LoaderTest, DocumentMustBeAMapping) {
  const LoadResult r = load_text("- name: n\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_NE(dump(r).find("expected a manifest document"), std::string::npos) << dump(r);
}

TEST_F(LoaderTest, SectionMustBeAList) {
  const LoadResult r = load_text("networks:\n  name: n\n");
  expect_single_error(r, "a.yaml:2:3", "networks: expected a list of networks, got a mapping");
}

TEST_F(LoaderTest, PortForms) {
  const LoadResult r = load_text(R"(containers:
  - name: c
    ports:
      - 80
      - "80:80/icmp"
      - {host_port: 8080}
      - {host_port: 8080, container_port: 80, protocol: tcpp}
)");
  ASSERT_EQ(r.errors.size(), 4u) << dump(r);
  expect_error(r, "a.yaml:4:9", "containers[0].ports[0]: expected a published port");
  expect_error(r, "a.yaml:5:9", "containers[0].ports[1]: expected a published port: \"8080:80\"");
  expect_error(r, "a.yaml:6:9", "containers[0].ports[2]: missing required key \"container_port\"");
  expect_error(r, "a.yaml:7:57", "containers[0].ports[3].protocol: expected tcp, udp or sctp");
}

TEST_F(LoaderTest, MergeKeysAreExplained) {
  const LoadResult r = load_text("networks:\n  - name: n\n    subnet: 10.0.0.0/24\n    <<: {mtu: 1400}\n");
  expect_single_error(r, "a.yaml:4:5", "merge keys (<<) are not supported");
}

TEST_F(LoaderTest, ThreeErrorsInOneFileGiveThree) {
  const LoadResult r = load_text(R"(networks:
  - name: n
    subnet: 10.0.0.0/24
    mtu: 20
containers:
  - name: c
    hostnme: x
attachments:
  - network: n
)");
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  expect_error(r, "a.yaml:4:10", "mtu");
  expect_error(r, "a.yaml:7:5", "unknown key \"hostnme\" (did you mean \"hostname\"?)");
  expect_error(r, "a.yaml:9:5", "missing required key \"container\"");
}

// The schema is compiled in (issue 12: a copied binary failed with "cannot
// open the manifest schema"); the compiled text is the source tree's file, byte
// for byte, so the contract and the binary never drift apart.
TEST_F(LoaderTest, TheBuiltInSchemaIsTheSourceTreesFile) {
  std::ifstream in(std::string(TOPO_TEST_DATA) + "/../schema/topology.schema.json");
  std::stringstream ss;
  ss << in.rdbuf();
  ASSERT_FALSE(ss.str().empty());
  EXPECT_EQ(std::string(loader::builtin_schema_text()), ss.str());
}

// No file is looked for: loading works from anywhere, whatever the working dir.
TEST_F(LoaderTest, LoadingNeedsNoSchemaFile) {
  write("a.yaml", "version: 1\ncontainers:\n  - name: c\n");
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  const LoadResult r = load_manifests({"a.yaml"});
  std::filesystem::current_path(before);
  EXPECT_TRUE(r.ok()) << dump(r);
}

}  // namespace
}  // namespace topo::testing
