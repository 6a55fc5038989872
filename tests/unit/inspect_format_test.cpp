// `topo inspect`'s text and JSON (reconciler/view/inspect_format.*): the
// documented JSON shape with format_version, typed values (an option as the
// schema types its key), null for what is not there; aligned text with a
// table of members.
#include "reconciler/view/inspect_format.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reconciler/view/text_layout.hpp"

namespace topo::testing {
namespace {

using nlohmann::json;

view::NetworkView network() {
  view::NetworkView n;
  n.name = "front";
  n.stack = "web";
  n.driver = "bridge";
  n.subnets = {{"172.30.40.0/24", "172.30.40.1", ""}};
  n.mtu = 1500;
  // A bridge named by digits stays a string: its key is a string key.
  n.options = {{"bridge", "1234"}, {"icc", "false"}, {"masquerade", "true"}, {"vni", "42"}};
  n.host_bridge = "1234";
  view::MemberView db;
  db.container = "db";
  db.network = "front";
  db.interface = "eth0";
  db.ipv4 = "172.30.40.100";
  db.ipv4_prefix = 24;
  db.mac = "02:42:ac:1e:28:64";
  db.host_veth = "veth0a1b2c3d";
  db.aliases = {"store"};
  db.default_route = true;
  view::MemberView web = db;
  web.container = "web";
  web.ipv4 = "172.30.40.2";
  web.ipv6 = "fd00::2";
  web.ipv6_prefix = 64;
  web.mac = "02:42:ac:1e:28:02";
  web.host_veth = "veth99999999";
  web.aliases = {};
  n.members = {db, web};
  return n;
}

view::ContainerView container() {
  view::ContainerView c;
  c.name = "web";
  c.stack = "web";
  c.mode = "default";
  c.netns = "/run/netns/web";
  c.hostname = "web";
  c.interfaces = {network().members[1]};
  c.routes = {{"default", "172.30.40.1", "eth0"}, {"10.9.0.0/16", "172.30.40.254", ""}};
  c.ports = {{"tcp", "", 8080, false, 80}, {"tcp", "127.0.0.1", 32768, true, 443}};
  c.dns_search = {"example.com"};
  c.hosts = {{"172.30.40.2", {"web"}, "this container"},
             {"172.30.40.100", {"db", "store", "db.front", "store.front"}, "network front"}};
  c.links = {{"db", "database"}};
  return c;
}

TEST(InspectFormat, NetworkJsonHasTheVersionTypedOptionsAndNullsForWhatIsNotThere) {
  const json j = json::parse(view::format_network_json(network()));
  EXPECT_EQ(j.at("format_version"), 1);
  const json& n = j.at("network");
  EXPECT_EQ(n.at("name"), "front");
  EXPECT_EQ(n.at("driver"), "bridge");
  EXPECT_EQ(n.at("mtu"), 1500);
  EXPECT_EQ(n.at("internal"), false);
  EXPECT_EQ(n.at("subnets").at(0).at("gateway"), "172.30.40.1");
  EXPECT_TRUE(n.at("subnets").at(0).at("ip_range").is_null());
  EXPECT_TRUE(n.at("parent").is_null());
  const json& o = n.at("options");
  EXPECT_TRUE(o.at("bridge").is_string());
  EXPECT_EQ(o.at("bridge"), "1234");
  EXPECT_TRUE(o.at("icc").is_boolean());
  EXPECT_EQ(o.at("icc"), false);
  EXPECT_TRUE(o.at("vni").is_number_integer());
  EXPECT_EQ(o.at("vni"), 42);
  // In the driver's order, not sorted.
  std::vector<std::string> keys;
  for (const auto& [key, value] : o.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"bridge", "icc", "masquerade", "vni"}));

  const json& db = n.at("members").at(0);
  EXPECT_EQ(db.at("container"), "db");
  EXPECT_EQ(db.at("ipv4"), "172.30.40.100");
  EXPECT_EQ(db.at("ipv4_prefix"), 24);
  EXPECT_TRUE(db.at("ipv6").is_null());
  EXPECT_TRUE(db.at("ipv6_prefix").is_null());
  EXPECT_EQ(db.at("mac"), "02:42:ac:1e:28:64");
  EXPECT_EQ(db.at("default_route"), true);
  EXPECT_EQ(db.at("aliases"), json::array({"store"}));
  EXPECT_TRUE(db.at("node").is_null());
  EXPECT_EQ(n.at("members").at(1).at("ipv6_prefix"), 64);
}

TEST(InspectFormat, ContainerJsonHasPortsAsNumbersAndRoutesHostsLinks) {
  const json j = json::parse(view::format_container_json(container()));
  EXPECT_EQ(j.at("format_version"), 1);
  const json& c = j.at("container");
  EXPECT_EQ(c.at("netns"), "/run/netns/web");
  EXPECT_EQ(c.at("adopted"), false);
  EXPECT_TRUE(c.at("mode_target").is_null());
  EXPECT_EQ(c.at("interfaces").at(0).at("interface"), "eth0");
  EXPECT_EQ(c.at("routes").at(0).at("destination"), "default");
  EXPECT_TRUE(c.at("routes").at(1).at("interface").is_null());
  const json& chosen = c.at("ports").at(1);
  EXPECT_EQ(chosen.at("host_port"), 32768);
  EXPECT_EQ(chosen.at("host_port_chosen"), true);
  EXPECT_EQ(chosen.at("container_port"), 443);
  EXPECT_EQ(chosen.at("host_ip"), "127.0.0.1");
  EXPECT_TRUE(c.at("ports").at(0).at("host_ip").is_null());
  EXPECT_EQ(c.at("dns"), json::array());
  EXPECT_EQ(c.at("dns_search"), json::array({"example.com"}));
  EXPECT_EQ(c.at("hosts").at(1).at("part"), "network front");
  EXPECT_EQ(c.at("hosts").at(1).at("names").size(), 4u);
  EXPECT_EQ(c.at("links").at(0).at("alias"), "database");
}

TEST(InspectFormat, APortNotChosenYetHasNoHostPort) {
  view::ContainerView c = container();
  c.ports = {{"tcp", "", 0, true, 80}};
  const json j = json::parse(view::format_container_json(c));
  EXPECT_TRUE(j.at("container").at("ports").at(0).at("host_port").is_null());
  EXPECT_NE(view::format_container_text(c).find("  *        -          80              tcp       yes"),
            std::string::npos)
      << view::format_container_text(c);
}

TEST(InspectFormat, NetworkTextIsAlignedWithMembersAsATable) {
  const std::string text = view::format_network_text(network());
  // Every value of the head starts in one column.
  EXPECT_NE(text.find("name:         front\n"), std::string::npos) << text;
  EXPECT_NE(text.find("host_bridge:  1234\n"), std::string::npos) << text;
  EXPECT_NE(text.find("subnet:       172.30.40.0/24, gateway 172.30.40.1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("options:\n  bridge:      1234\n  icc:         false\n"), std::string::npos) << text;
  EXPECT_NE(text.find("members:\n"
                      "  CONTAINER  INTERFACE  IPV4              IPV6        MAC                HOST_VETH     ALIASES\n"
                      "  db         eth0       172.30.40.100/24  -           02:42:ac:1e:28:64  veth0a1b2c3d  store\n"
                      "  web        eth0       172.30.40.2/24    fd00::2/64  02:42:ac:1e:28:02  veth99999999  -\n"),
            std::string::npos)
      << text;
}

TEST(InspectFormat, ContainerTextShowsEachList) {
  const std::string text = view::format_container_text(container());
  EXPECT_NE(text.find("netns:       /run/netns/web\n"), std::string::npos) << text;
  EXPECT_NE(text.find("dns:         from the host's resolv.conf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("dns_search:  example.com\n"), std::string::npos) << text;
  EXPECT_NE(text.find("routes:\n"
                      "  DESTINATION  VIA            INTERFACE\n"
                      "  default      172.30.40.1    eth0\n"
                      "  10.9.0.0/16  172.30.40.254  -\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  127.0.0.1  32768      443             tcp       yes\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  172.30.40.100  db store db.front store.front  network front\n"), std::string::npos) << text;
  EXPECT_NE(text.find("links:\n  TARGET  ALIAS\n  db      database\n"), std::string::npos) << text;
}

TEST(InspectFormat, ModesSayWhatTheNamespaceIs) {
  view::ContainerView joiner = container();
  joiner.mode = "container";
  joiner.mode_target = "web";
  joiner.interfaces.clear();
  EXPECT_NE(view::format_container_text(joiner).find("container (shares the namespace of web)"), std::string::npos);
  EXPECT_NE(view::format_container_text(joiner).find("interfaces: none\n"), std::string::npos);
  view::ContainerView host = container();
  host.mode = "host";
  host.netns = "";
  EXPECT_NE(view::format_container_text(host).find("the host's\n"), std::string::npos);
  EXPECT_EQ(view::format_container_text(host).find("dns:"), std::string::npos);
}

TEST(InspectFormat, AnUnknownNameListsTheNamesThereAre) {
  view::TopologyView v;
  v.networks = {network()};
  v.containers = {container()};
  EXPECT_EQ(view::unknown_name_message(v, "network", "back"),
            "inspect: no network \"back\" in the manifests; the networks are: front");
  EXPECT_EQ(view::unknown_name_message(v, "container", "x"),
            "inspect: no container \"x\" in the manifests; the containers are: web");
  EXPECT_EQ(view::unknown_name_message(view::TopologyView{}, "network", "x"),
            "inspect: no network \"x\" in the manifests; they declare no network");
}

TEST(TextLayout, TablesLineUpAndLinesEndWithoutBlanks) {
  EXPECT_EQ(view::table({"A", "LONGER"}, {{"xyz", ""}, {"", "b"}}, 1), " A    LONGER\n xyz\n      b\n");
  EXPECT_EQ(view::aligned({{"a", "1"}, {"bbb", "2"}, {"c", ""}}), "a:    1\nbbb:  2\nc:\n");
}

}  // namespace
}  // namespace topo::testing
