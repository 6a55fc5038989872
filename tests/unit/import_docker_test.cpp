// topo import docker: network and container inspect output, told apart by
// shape; current addresses kept; errors name the file and the key's path.
#include "reconciler/importers/docker_import.hpp"
#include "tests/unit/import_test_util.hpp"

namespace topo::testing {
namespace {

using importers::ImportError;
using importers::ImportResult;

ImportResult docker(const std::vector<std::string>& texts) {
  std::vector<importers::SourceText> in;
  for (std::size_t i = 0; i < texts.size(); ++i) in.push_back({"f" + std::to_string(i) + ".json", texts[i]});
  return importers::import_docker(in, "");
}

const char* kNet = R"([{"Name": "app-net", "Driver": "bridge", "Internal": false,
  "IPAM": {"Driver": "default", "Config": [{"Subnet": "10.5.0.0/24", "Gateway": "10.5.0.1", "IPRange": "10.5.0.128/25"},
                                           {"Subnet": "fd00:5::/64", "Gateway": "fd00:5::1"}]},
  "EnableIPv6": true,
  "Options": {"com.docker.network.bridge.name": "br-app", "com.docker.network.driver.mtu": "1400",
              "com.docker.network.bridge.enable_icc": "false"},
  "Containers": {"aaaa": {"Name": "one", "MacAddress": "02:42:0a:05:00:82", "IPv4Address": "10.5.0.130/24",
                          "IPv6Address": "fd00:5::82/64"}}}])";

TEST(ImportDocker, NetworkInspectKeepsAddressesAndOptions) {
  const ImportResult r = docker({kNet});
  expect_line(r, "- name: app-net");
  expect_line(r, "  - {subnet: 10.5.0.0/24, gateway: 10.5.0.1, ip_range: 10.5.0.128/25}");
  expect_line(r, "  mtu: 1400");
  expect_line(r, "  bridge: br-app");
  expect_line(r, "  icc: false");
  expect_line(
      r, "- {container: one, network: app-net, ipv4: 10.5.0.130, ipv6: \"fd00:5::82\", mac: \"02:42:0a:05:00:82\"}");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportDocker, ContainerInspectAddsPortsDnsLinksAndAliases) {
  const ImportResult r = docker({kNet, R"([{"Id": "aaaa1234", "Name": "/one",
    "Config": {"Hostname": "one-host"},
    "HostConfig": {"NetworkMode": "app-net", "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}],
                                                              "53/udp": [{"HostIp": "127.0.0.1", "HostPort": ""}]},
                   "Dns": ["10.0.0.53"], "DnsSearch": ["corp"], "ExtraHosts": ["db:10.0.0.7"]},
    "NetworkSettings": {"Ports": {"53/udp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}]},
      "Networks": {"app-net": {"IPAddress": "10.5.0.130", "MacAddress": "02:42:0a:05:00:82",
                               "Aliases": ["one", "aaaa1234", "api"]}}}}])"});
  expect_line(r, "  hostname: one-host");
  expect_line(r, "  ports: [\"127.0.0.1:49153:53/udp\", \"8080:80\"]");
  expect_line(r, "  dns: [10.0.0.53]");
  expect_line(r, "  extra_hosts: [\"db:10.0.0.7\"]");
  EXPECT_NE(r.manifest.find("aliases: [api]"), std::string::npos) << r.manifest;
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportDocker, PortsOnInternalNetworksOnlyAreNoted) {
  const ImportResult r = docker({R"([{"Name": "in", "Driver": "bridge", "Internal": true,
    "IPAM": {"Config": [{"Subnet": "10.6.0.0/24"}]}, "Containers": {"c1": {"Name": "x", "IPv4Address": "10.6.0.2/24"}}},
    {"Id": "c1", "Name": "/x", "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": "8080"}]}},
     "NetworkSettings": {"Networks": {"in": {"IPAddress": "10.6.0.2"}}}}])"});
  expect_line(r, "  internal: true");
  EXPECT_EQ(r.manifest.find("ports"), std::string::npos) << r.manifest;
  EXPECT_NE(notes_text(r).find("internal networks only"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportDocker, PredefinedNetworks) {
  const ImportResult r = docker({R"([
    {"Name": "bridge", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}]},
     "Options": {"com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": "docker0"},
     "Containers": {"c1": {"Name": "old", "IPv4Address": "172.17.0.2/16", "MacAddress": "02:42:ac:11:00:02"}}},
    {"Name": "host", "Driver": "host", "IPAM": {"Config": []}, "Containers": {"c2": {"Name": "exporter"}}},
    {"Name": "none", "Driver": "null", "IPAM": {"Config": []}, "Containers": {"c3": {"Name": "offline"}}}])"});
  expect_line(r, "- name: docker0");
  expect_line(r, "  bridge: docker0");
  expect_line(r, "- {container: old, network: docker0, ipv4: 172.17.0.2, mac: \"02:42:ac:11:00:02\"}");
  expect_line(r, "  network_mode: host");
  expect_line(r, "  network_mode: none");
  EXPECT_NE(notes_text(r).find("Docker's default bridge"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportDocker, OverlayIsNotedAndItsMembersNotAttached) {
  const ImportResult r =
      docker({R"([{"Name": "swarm-net", "Driver": "overlay", "IPAM": {"Config": [{"Subnet": "10.0.9.0/24"}]},
     "Containers": {"c1": {"Name": "task", "IPv4Address": "10.0.9.3/24"}}}])"});
  EXPECT_NE(notes_text(r).find("swarm overlay"), std::string::npos) << notes_text(r);
  EXPECT_EQ(r.manifest.find("swarm-net"), std::string::npos) << r.manifest;
}

TEST(ImportDocker, ContainerOnANetworkNoInputDescribesIsAnError) {
  try {
    docker(
        {R"([{"Name": "/x", "HostConfig": {}, "NetworkSettings": {"Networks": {"elsewhere": {"IPAddress": "10.0.0.2"}}}}])"});
    ADD_FAILURE() << "no error";
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("docker network inspect elsewhere"), std::string::npos) << e.what();
  }
}

TEST(ImportDocker, DefaultBridgeMissingAsksForItsInspectByDockersName) {
  try {
    docker({R"([{"Name": "/x", "HostConfig": {"NetworkMode": "default"},
                 "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2"}}}}])"});
    ADD_FAILURE() << "no error";
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("(docker network inspect bridge)"), std::string::npos) << e.what();
  }
}

TEST(ImportDocker, MalformedInputNamesFileLineAndKey) {
  try {
    docker({"[\n  {\"Name\": \"x\",\n   \"IPAM\": }\n]"});
    ADD_FAILURE() << "no error";
  } catch (const ImportError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("f0.json:3:", 0), 0u) << e.what();
  }
  try {
    docker({R"([{"Name": "n", "Driver": "bridge", "IPAM": {"Config": [{"Subnet": "10.0.0.0/33"}]}}])"});
    ADD_FAILURE() << "no error";
  } catch (const ImportError& e) {
    EXPECT_EQ(std::string(e.what()), "f0.json: [0].IPAM.Config[0].Subnet: \"10.0.0.0/33\" is not a CIDR");
  }
  EXPECT_THROW(docker({R"([{"Something": 1}])"}), ImportError);
  EXPECT_THROW(docker({R"("text")"}), ImportError);
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

TEST(ImportDocker, AHostPortWithTrailingLettersIsAnErrorNotAPort) {
  const std::string container = R"([{"Id": "c1", "Name": "/one", "HostConfig": {"NetworkMode": "app-net",
      "PortBindings": {"80/tcp": [{"HostPort": "PORT"}]}}, "NetworkSettings": {"Networks": {"app-net":
      {"IPAddress": "10.5.0.130"}}}}])";
  auto with = [&](const std::string& port) { return std::string(container).replace(container.find("PORT"), 4, port); };
  EXPECT_NO_THROW(docker({kNet, with("443")}));
  EXPECT_THROW(docker({kNet, with("443abc")}), importers::ImportError);
}

TEST(ImportDocker, JsonNestedBeyondTheBoundIsAnError) {
  EXPECT_THROW(docker({std::string(200, '[') + std::string(200, ']')}), importers::ImportError);
}

}  // namespace
}  // namespace topo::testing
