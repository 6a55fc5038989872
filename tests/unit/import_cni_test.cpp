// topo import cni: bridge, macvlan and ipvlan with host-local IPAM; chained
// plugins noted; errors name the file and key.
#include "reconciler/importers/cni_import.hpp"
#include "tests/unit/import_test_util.hpp"

namespace topo::testing {
namespace {

using importers::ImportError;
using importers::ImportResult;

ImportResult cni(const std::string& text) { return importers::import_cni("n.conflist", text, ""); }

TEST(ImportCni, BridgeWithRangesAndChainedPlugins) {
  const ImportResult r = cni(R"({"cniVersion": "1.0.0", "name": "podnet", "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "mtu": 1450,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.22.0.0/16", "rangeStart": "10.22.4.0",
                                                 "rangeEnd": "10.22.7.255", "gateway": "10.22.0.1"}]]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}]})");
  expect_line(r, "- name: podnet");
  expect_line(r, "  subnet: 10.22.0.0/16");
  expect_line(r, "  gateway: 10.22.0.1");
  expect_line(r, "  ip_range: 10.22.4.0/22");
  expect_line(r, "  mtu: 1450");
  expect_line(r, "  bridge: cni0");
  expect_line(r, "  masquerade: true");
  EXPECT_NE(notes_text(r).find("plugins[1].type: not carried over: publish ports"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCni, BridgeDefaultsDifferFromTopos) {
  const ImportResult r =
      cni(R"({"name": "n", "type": "bridge", "ipam": {"type": "host-local", "subnet": "10.30.0.0/24"}})");
  expect_line(r, "  masquerade: false");
  EXPECT_NE(notes_text(r).find("isGateway"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCni, RangeThatIsNoCidrBlockIsNoted) {
  const ImportResult r = cni(R"({"name": "n", "type": "bridge", "isGateway": true,
    "ipam": {"type": "host-local", "subnet": "10.31.0.0/24", "rangeStart": "10.31.0.10", "rangeEnd": "10.31.0.50"}})");
  EXPECT_EQ(r.manifest.find("ip_range"), std::string::npos) << r.manifest;
  EXPECT_NE(notes_text(r).find("is not one CIDR block"), std::string::npos) << notes_text(r);
}

TEST(ImportCni, MacvlanAndIpvlan) {
  const ImportResult m = cni(R"({"name": "lan", "type": "macvlan", "master": "eth0", "mode": "vepa",
    "ipam": {"type": "host-local", "ranges": [[{"subnet": "192.168.7.0/24", "gateway": "192.168.7.1"}]]}})");
  expect_line(m, "  driver: macvlan");
  expect_line(m, "  parent: eth0");
  expect_line(m, "  mode: vepa");
  EXPECT_EQ(load_errors(m.manifest), "");
  const ImportResult i = cni(R"({"name": "l3", "plugins": [{"type": "ipvlan", "master": "eth1", "mode": "l3",
    "ipam": {"type": "host-local", "subnet": "192.168.8.0/24"}}]})");
  expect_line(i, "  driver: ipvlan");
  expect_line(i, "  mode: l3");
  EXPECT_EQ(load_errors(i.manifest), "");
}

TEST(ImportCni, Errors) {
  const auto expect_error = [](const std::string& text, const std::string& gist) {
    try {
      cni(text);
      ADD_FAILURE() << "no error for " << text;
    } catch (const ImportError& e) {
      EXPECT_NE(std::string(e.what()).find(gist), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind("n.conflist", 0), 0u) << e.what();
    }
  };
  expect_error(R"({"name": "n", "plugins": [{"type": "flannel"}]})", "no bridge, macvlan or ipvlan plugin");
  expect_error(R"({"name": "n", "type": "macvlan", "ipam": {"type": "host-local", "subnet": "10.0.0.0/24"}})",
               "master: macvlan needs `master`");
  expect_error(R"({"name": "n", "type": "macvlan", "master": "eth0", "ipam": {"type": "dhcp"}})",
               "ipam: macvlan needs a host-local subnet");
  expect_error(R"({"name": "n", "type": "bridge", "ipam": {"type": "host-local", "subnet": "nope"}})",
               "ipam.subnet: \"nope\" is not a CIDR");
  expect_error(R"({"name": "bad name", "type": "bridge"})", "name: \"bad name\" is not a topo name");
  expect_error("{\n\"name\": \"n\",,\n}", "n.conflist:2:");
  expect_error(R"({"name": "n", "plugins": [{"type": "bridge"}, {"type": "macvlan", "master": "e"}]})",
               "a second main plugin");
}

}  // namespace
}  // namespace topo::testing
