// topo import compose: each form of each key, and errors naming file:line and key.
#include "reconciler/importers/compose_import.hpp"
#include "tests/unit/import_test_util.hpp"

namespace topo::testing {
namespace {

using importers::ImportError;
using importers::ImportResult;

ImportResult compose(const std::string& yaml, const std::string& stack = "") {
  return importers::import_compose("c.yaml", yaml, {stack, "My Project!"});
}

// The import fails with a message starting with `where` ("c.yaml:3:5: services.web.ports[0]").
void expect_error(const std::string& yaml, const std::string& where, const std::string& gist) {
  try {
    compose(yaml);
    ADD_FAILURE() << "no error for\n" << yaml;
  } catch (const ImportError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(where, 0), 0u) << what;
    EXPECT_NE(what.find(gist), std::string::npos) << what;
  }
}

TEST(ImportCompose, ProjectNameFromNameThenStackThenDirectory) {
  EXPECT_EQ(compose("name: shop\nservices: {a: {}}\n", "other").stack, "shop");
  EXPECT_EQ(compose("services: {a: {}}\n", "other").stack, "other");
  EXPECT_EQ(compose("services: {a: {}}\n").stack, "myproject");
  EXPECT_EQ(importers::project_name_from_directory("_My.App-2"), "myapp-2");
  EXPECT_EQ(importers::project_name_from_directory("..."), "");
  EXPECT_THROW(importers::import_compose("c.yaml", "services: {a: {}}\n", {"", "..."}), ImportError);
}

TEST(ImportCompose, ServicesWithoutNetworksJoinTheProjectDefaultNetwork) {
  const ImportResult r = compose("name: p\nservices:\n  a: {}\n  b: {}\n");
  expect_line(r, "- name: p_default");
  expect_line(r, "- {container: a, network: p_default}");
  expect_line(r, "- {container: b, network: p_default}");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, DefaultNetworkDeclaredIsConfigured) {
  const ImportResult r =
      compose("name: p\nservices:\n  a: {}\nnetworks:\n  default:\n    ipam:\n      config: [{subnet: 10.9.0.0/24}]\n");
  expect_line(r, "- name: p_default");
  expect_line(r, "  subnet: 10.9.0.0/24");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, LongProjectNamesThatShareABridgePrefixGetDistinctBridges) {
  const ImportResult r = compose(
      "name: averylongproject\nservices:\n  a: {networks: [front1, front2]}\nnetworks:\n  front1: {}\n  front2: {}\n");
  EXPECT_NE(r.manifest.find("bridge: br-"), std::string::npos) << r.manifest;
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, NetworksNoServiceJoinsAreNotMadeAsComposeDoesNot) {
  const ImportResult r = compose("name: p\nservices:\n  a: {networks: [used]}\nnetworks:\n  used: {}\n  spare: {}\n");
  EXPECT_EQ(r.manifest.find("p_spare"), std::string::npos) << r.manifest;
  EXPECT_NE(note_for(r, "networks.spare").find("c.yaml:6:3"), std::string::npos) << notes_text(r);
  EXPECT_EQ(r.manifest.find("p_default"), std::string::npos) << r.manifest;
}

TEST(ImportCompose, NetworksListAndMapForms) {
  const ImportResult r = compose(R"(name: p
services:
  a:
    networks: [x, y]
  b:
    networks:
      x:
        aliases: [bee, "b2"]
        ipv4_address: 10.1.0.5
      y:
networks:
  x: {ipam: {config: [{subnet: 10.1.0.0/24}]}}
  y:
)");
  expect_line(r, "- {container: a, network: p_x, interface: eth0}");
  expect_line(r, "- {container: a, network: p_y, interface: eth1}");
  expect_line(r, "- {container: b, network: p_x, interface: eth0, ipv4: 10.1.0.5, aliases: [bee, b2]}");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, NetworkKeysMap) {
  const ImportResult r = compose(R"(name: p
services: {a: {networks: [n]}}
networks:
  n:
    name: custom
    internal: true
    driver_opts:
      com.docker.network.bridge.name: brx
      com.docker.network.driver.mtu: 1400
      com.docker.network.bridge.enable_icc: "false"
      com.docker.network.bridge.enable_ip_masquerade: "false"
    ipam:
      config:
        - {subnet: 10.2.0.0/16, gateway: 10.2.0.254, ip_range: 10.2.1.0/24}
)");
  expect_line(r, "- name: custom");
  expect_line(r, "  gateway: 10.2.0.254");
  expect_line(r, "  ip_range: 10.2.1.0/24");
  expect_line(r, "  mtu: 1400");
  expect_line(r, "  internal: true");
  expect_line(r, "  bridge: brx");
  expect_line(r, "  icc: false");
  expect_line(r, "  masquerade: false");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, SeveralIpamConfigsBecomeSubnets) {
  const ImportResult r = compose(R"(name: p
services: {a: {networks: [n]}}
networks:
  n:
    enable_ipv6: true
    ipam:
      config:
        - subnet: 10.3.0.0/24
        - subnet: fd00:3::/64
)");
  expect_line(r, "  subnets:");
  expect_line(r, "  - {subnet: 10.3.0.0/24}");
  expect_line(r, "  - {subnet: \"fd00:3::/64\"}");
  EXPECT_EQ(note_for(r, "networks.n.enable_ipv6"), "");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, MacvlanAndIpvlanTakeParentAndMode) {
  const ImportResult r = compose(R"(name: p
services: {a: {networks: [m, i]}}
networks:
  m:
    driver: macvlan
    driver_opts: {parent: eth0.10, macvlan_mode: private}
    ipam: {config: [{subnet: 192.168.10.0/24}]}
  i:
    driver: ipvlan
    driver_opts: [parent=eth1, ipvlan_mode=l3]
    ipam: {config: [{subnet: 192.168.11.0/24}]}
)");
  expect_line(r, "  driver: macvlan");
  expect_line(r, "  parent: eth0.10");
  expect_line(r, "  mode: private");
  expect_line(r, "  driver: ipvlan");
  expect_line(r, "  mode: l3");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, MacvlanWithoutParentOrSubnetIsAnError) {
  expect_error("services: {}\nnetworks:\n  m:\n    driver: macvlan\n    ipam: {config: [{subnet: 10.0.0.0/24}]}\n",
               "c.yaml:3:3: networks.m", "needs driver_opts.parent");
  expect_error("services: {}\nnetworks:\n  m:\n    driver: macvlan\n    driver_opts: {parent: eth0}\n",
               "c.yaml:3:3: networks.m", "needs ipam.config");
}

TEST(ImportCompose, OverlayExternalAndUnknownOptionsAreNoted) {
  const ImportResult r = compose(R"(name: p
services: {a: {networks: [o, e]}}
networks:
  o:
    driver: overlay
    attachable: true
    driver_opts: {com.docker.network.bridge.host_binding_ipv4: 127.0.0.1}
  e:
    external: true
)");
  EXPECT_NE(note_for(r, "networks.o.driver").find("c.yaml:5:13"), std::string::npos) << notes_text(r);
  EXPECT_NE(note_for(r, "networks.o.attachable"), "");
  EXPECT_NE(note_for(r, "networks.o.driver_opts.com.docker.network.bridge.host_binding_ipv4"), "");
  EXPECT_NE(note_for(r, "networks.e.external"), "");
  EXPECT_NE(note_for(r, "services.a.networks.e"), "") << notes_text(r);
  EXPECT_EQ(r.manifest.find("p_e"), std::string::npos) << r.manifest;
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, PortsShortForms) {
  const ImportResult r = compose(R"(name: p
services:
  a:
    ports:
      - 80
      - "8080:80"
      - "127.0.0.1:8081:81"
      - "8082:82/udp"
      - "127.0.0.1::83"
      - "[::1]:8084:84"
      - ":85"
      - "8000-8001:90-91"
      - "92-93"
)");
  expect_line(r,
              "  ports: [\"80\", \"8080:80\", \"127.0.0.1:8081:81\", \"8082:82/udp\", \"127.0.0.1::83\", "
              "\"85\", \"8000:90\", \"8001:91\", \"92\", \"93\"]");
  EXPECT_NE(note_for(r, "services.a.ports[5]").find("IPv6 host address"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, PortsLongForm) {
  const ImportResult r = compose(R"(name: p
services:
  a:
    ports:
      - {target: 80, published: 8080, protocol: udp, host_ip: 127.0.0.1, mode: host}
      - {target: 81, published: "9000-9001"}
      - {target: 82, mode: ingress, app_protocol: http}
)");
  expect_line(r, "  ports: [\"127.0.0.1:8080:80/udp\", \"9000:81\", \"82\"]");
  EXPECT_NE(note_for(r, "services.a.ports[1]").find("topo takes 9000"), std::string::npos) << notes_text(r);
  EXPECT_NE(note_for(r, "services.a.ports[2].mode"), "");
  EXPECT_NE(note_for(r, "services.a.ports[2].app_protocol"), "");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, PortsThatDoNotParseAreErrorsAtTheirLine) {
  expect_error("services:\n  a:\n    ports:\n      - \"80:http\"\n", "c.yaml:4:9: services.a.ports[0]",
               "container port \"http\"");
  expect_error("services:\n  a:\n    ports: [\"80/icmp\"]\n", "c.yaml:3:13: services.a.ports[0]", "protocol");
  expect_error("services:\n  a:\n    ports: [\"999.1.1.1:80:80\"]\n", "c.yaml:3:13: services.a.ports[0]",
               "not an IP address");
  expect_error("services:\n  a:\n    ports: [\"8000-8002:80-81\"]\n", "c.yaml:3:13: services.a.ports[0]",
               "differ in length");
  expect_error("services:\n  a:\n    ports: [{published: 80}]\n", "c.yaml:3:13: services.a.ports[0]", "needs `target`");
  expect_error("services:\n  a:\n    ports: [{target: 70000}]\n", "c.yaml:3:22: services.a.ports[0].target",
               "from 1 to 65535");
  expect_error("services:\n  a:\n    ports: \"80\"\n", "c.yaml:3:12: services.a.ports", "a list of ports");
}

TEST(ImportCompose, LinksDnsExtraHostsHostnameSysctls) {
  const ImportResult r = compose(R"(name: p
services:
  web:
    hostname: www
    links: [db, "cache:redis"]
    dns: 10.0.0.53
    dns_search: example.internal
    extra_hosts: ["a:10.0.0.1", "b=10.0.0.2", "c:fd00::3"]
    sysctls: [net.core.somaxconn=1024, kernel.msgmax=1]
  db:
    dns: [1.1.1.1, 8.8.8.8]
    dns_search: [a.example, b.example]
    extra_hosts: {d: 10.0.0.4}
    sysctls: {net.ipv4.tcp_syncookies: 0, net.ipv4.conf.all.rp_filter: "1"}
  cache:
    container_name: p-cache
)");
  expect_line(r, "  hostname: www");
  expect_line(r, "  links: [db, \"p-cache:redis\"]");
  expect_line(r, "  dns: [10.0.0.53]");
  expect_line(r, "  dns_search: [example.internal]");
  expect_line(r, "  extra_hosts: [\"a:10.0.0.1\", \"b:10.0.0.2\", \"c:fd00::3\"]");
  expect_line(r, "    net.core.somaxconn: \"1024\"");
  expect_line(r, "  dns: [1.1.1.1, 8.8.8.8]");
  expect_line(r, "  extra_hosts: [\"d:10.0.0.4\"]");
  expect_line(r, "    net.ipv4.tcp_syncookies: 0");
  expect_line(r, "    net.ipv4.conf.all.rp_filter: \"1\"");
  expect_line(r, "- name: p-cache");
  EXPECT_NE(note_for(r, "services.web.sysctls.kernel.msgmax"), "");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, LinkToUnknownServiceAndBadExtraHostAreErrors) {
  expect_error("services:\n  a:\n    links: [ghost]\n", "c.yaml:3:13: services.a.links", "unknown service \"ghost\"");
  expect_error("services:\n  a:\n    extra_hosts: [\"x:notanip\"]\n", "c.yaml:3:19: services.a.extra_hosts",
               "not an IP address");
  expect_error("services:\n  a:\n    extra_hosts: [\"noseparator\"]\n", "c.yaml:3:19: services.a.extra_hosts[0]",
               "NAME:VALUE");
}

TEST(ImportCompose, NetworkModes) {
  const ImportResult r = compose(R"(name: p
services:
  h: {network_mode: host, ports: ["80:80"], dns: [1.1.1.1], sysctls: {net.core.somaxconn: 1}}
  n: {network_mode: none, ports: ["81:81"]}
  s: {network_mode: "service:web"}
  c: {network_mode: "container:abc123"}
  b: {network_mode: bridge}
  web: {}
)");
  expect_line(r, "- name: h");
  expect_line(r, "  network_mode: host");
  expect_line(r, "  network_mode: none");
  expect_line(r, "  network_mode: \"container:web\"");
  EXPECT_NE(note_for(r, "services.h.ports"), "");
  EXPECT_NE(note_for(r, "services.h.dns"), "");
  EXPECT_NE(note_for(r, "services.h.sysctls"), "");
  EXPECT_NE(note_for(r, "services.n.ports"), "");
  EXPECT_NE(note_for(r, "services.c.network_mode"), "");
  EXPECT_NE(note_for(r, "services.b.network_mode"), "");
  expect_line(r, "- {container: b, network: p_default}");
  EXPECT_EQ(r.manifest.find("container: h,"), std::string::npos) << r.manifest;
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, NetworkModeErrors) {
  expect_error("services:\n  a: {network_mode: \"service:ghost\"}\n", "c.yaml:2:21: services.a.network_mode",
               "unknown service");
  expect_error("services:\n  a: {network_mode: host, networks: [x]}\nnetworks: {x: {}}\n",
               "c.yaml:2:21: services.a.network_mode", "cannot be combined");
  expect_error("services:\n  a: {network_mode: weird}\n", "c.yaml:2:21: services.a.network_mode", "expected host");
}

TEST(ImportCompose, MacAddresses) {
  const ImportResult r = compose(R"(name: p
services:
  a: {mac_address: "02:42:0a:00:00:05"}
  b:
    networks:
      x: {mac_address: "02:42:0a:00:00:06"}
networks: {x: {}}
)");
  expect_line(r, "- {container: a, network: p_default, mac: \"02:42:0a:00:00:05\"}");
  expect_line(r, "- {container: b, network: p_x, mac: \"02:42:0a:00:00:06\"}");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, EverythingWithoutEquivalentIsNotedNeverDropped) {
  const ImportResult r = compose(R"(version: "3.9"
name: p
services:
  a:
    image: nginx
    build: .
    volumes: [data:/data]
    command: ["nginx"]
    environment: {A: b}
    deploy: {replicas: 2}
    healthcheck: {test: ["CMD", "true"]}
    depends_on: [b]
    expose: ["80"]
    dns_opt: [ndots:1]
    domainname: example.com
    external_links: [other]
    x-note: 1
  b: {}
volumes: {data: {}}
secrets: {s: {file: ./s}}
configs: {c: {file: ./c}}
x-shared: {}
)");
  for (const char* key :
       {"version", "services.a.image", "services.a.build", "services.a.volumes", "services.a.command",
        "services.a.environment", "services.a.deploy", "services.a.healthcheck", "services.a.depends_on",
        "services.a.expose", "services.a.dns_opt", "services.a.domainname", "services.a.external_links",
        "services.a.x-note", "volumes", "secrets", "configs", "x-shared"})
    EXPECT_NE(note_for(r, key), "") << key << " has no note:\n" << notes_text(r);
  EXPECT_NE(note_for(r, "services.a.volumes").find("c.yaml:7:5"), std::string::npos) << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, MergeKeysShareSettingsBetweenServices) {
  const ImportResult r = compose(R"(name: p
x-base: &base
  image: example/base
  dns: [10.0.0.53]
  networks: [n]
services:
  a:
    <<: *base
    dns: [10.0.0.54]
  b:
    <<: [*base]
networks: {n: {}}
)");
  expect_line(r, "  dns: [10.0.0.54]");
  expect_line(r, "  dns: [10.0.0.53]");
  expect_line(r, "- {container: a, network: p_n}");
  expect_line(r, "- {container: b, network: p_n}");
  EXPECT_NE(note_for(r, "services.a.image"), "");
  EXPECT_EQ(load_errors(r.manifest), "");
}

TEST(ImportCompose, UnknownAndMalformedInputIsAnError) {
  expect_error("- a\n- b\n", "c.yaml:1:1", "a compose file is a mapping");
  expect_error("services:\n  a: {imagee: x}\n", "c.yaml:2:7: services.a.imagee", "not a key of a compose service");
  expect_error("servics: {}\n", "c.yaml:1:1: servics", "not a top-level key");
  expect_error("services:\n  a: [1]\n", "c.yaml:2:6: services.a", "expected a mapping");
  expect_error("services:\n  a: {networks: [nope]}\n", "c.yaml:2:18: services.a.networks", "does not declare");
  expect_error("services:\n  a: {networks: {x: {ipv4_address: 10.0.0.5}}}\nnetworks: {x: {}}\n",
               "c.yaml:2:18: services.a.networks.x", "needs the network's subnet");
  expect_error("services:\n  a: {networks: {x: {aliases: [\"-bad\"]}}}\nnetworks: {x: {}}\n",
               "c.yaml:2:32: services.a.networks.x.aliases", "not a topo name");
  expect_error("services: {a: {}\n", "c.yaml:", "");
  expect_error("services:\n  a: {hostname: \"bad host\"}\n", "c.yaml:2:17: services.a.hostname", "not a host name");
  expect_error("services:\n  a: {mac_address: \"02:42\"}\n", "c.yaml:2:20: services.a.mac_address",
               "not a MAC address");
  expect_error("name: p\nservices: {}\nnetworks:\n  n: {driver: weave}\n", "c.yaml:4:15: networks.n.driver",
               "no topo equivalent");
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

TEST(ImportCompose, AMacWithANetworkModeIsNotedNotDroppedSilently) {
  const ImportResult r = compose("services:\n  a: {}\n  b:\n    network_mode: service:a\n    mac_address: 02:42:ac:11:00:02\n");
  EXPECT_NE(note_for(r, "services.b.mac_address").find("network_mode"), std::string::npos) << notes_text(r);
  EXPECT_EQ(r.manifest.find("02:42:ac:11:00:02"), std::string::npos) << r.manifest;
}

}  // namespace
}  // namespace topo::testing

namespace topo::testing {
namespace {

TEST(ImportCompose, PortsOnEveryAddressKeepTheirPortWhicheverWayWritten) {
  const ImportResult r = compose(
      "services:\n  a:\n    ports: [\"[::]:80:80\", {target: 92, published: \"9092\", host_ip: \"::\"}, "
      "\"0.0.0.0:81:81\"]\n");
  expect_line(r, "  ports: [\"80:80\", \"9092:92\", \"81:81\"]");
  EXPECT_EQ(note_for(r, "services.a.ports[0]"), "") << notes_text(r);
  EXPECT_EQ(load_errors(r.manifest), "");
}

}  // namespace
}  // namespace topo::testing
