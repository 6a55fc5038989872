// Loader: semantic rules on containers (modes, references, values, ports).
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

const char* kNet = "networks:\n  - name: n\n    subnet: 10.0.0.0/24\n";

TEST_F(LoaderTest, DuplicateContainer) {
  const LoadResult r = load_text("containers:\n  - name: c\n  - name: c\n");
  expect_single_error(r, "a.yaml:3:5", "container \"c\" is defined twice: first at a.yaml:2:5");
}

TEST_F(LoaderTest, HostModeForbidsAttachmentsPortsDnsAndHostChanges) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: h
    network_mode: host
    ports: ["80:80"]
    dns: [1.1.1.1]
    sysctls: {net.ipv4.ip_forward: 1}
attachments:
  - {container: h, network: n}
)");
  ASSERT_EQ(r.errors.size(), 4u) << dump(r);
  expect_error(r, "a.yaml:7:12", "container \"h\": \"ports\" is not allowed with network_mode host");
  expect_error(r, "a.yaml:8:10", "\"dns\" is not allowed with network_mode host");
  expect_error(r, "a.yaml:9:14", "\"sysctls\" is not allowed with network_mode host");
  expect_error(r, "a.yaml:11:5", "has network_mode host, which takes no attachments");
}

TEST_F(LoaderTest, NoneModeForbidsAttachmentsAndPorts) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: x
    network_mode: none
    ports: ["80:80"]
    dns: [1.1.1.1]
attachments:
  - {container: x, network: n}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:7:12", "\"ports\" is not allowed with network_mode none");
  expect_error(r, "a.yaml:10:5", "has network_mode none, which takes no attachments");
}

TEST_F(LoaderTest, ContainerModeTargetMustExist) {
  const LoadResult r = load_text("containers:\n  - name: a\n    network_mode: container:ghost\n");
  expect_single_error(r, "a.yaml:3:19", "container \"a\": network_mode names unknown container \"ghost\"");
}

TEST_F(LoaderTest, ContainerModeJoinerForbidsPortsAndDns) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
  - name: b
    network_mode: container:a
    ports: ["80:80"]
    dns: [1.1.1.1]
attachments:
  - {container: a, network: n}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:8:12", "\"ports\" is not allowed with network_mode container:a; set it on \"a\" instead");
  expect_error(r, "a.yaml:9:10", "\"dns\" is not allowed");
}

TEST_F(LoaderTest, ContainerModeCycleIsReportedOnce) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    network_mode: container:b
  - name: b
    network_mode: container:c
  - name: c
    network_mode: container:a
  - name: self
    network_mode: container:self
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:3:19", "network_mode forms a cycle: a -> b -> c -> a");
  expect_error(r, "a.yaml:9:19", "network_mode cannot name the container itself");
}

TEST_F(LoaderTest, LinksMustNameContainers) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    links: ["b:db", ghost, a]
  - name: b
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:3:21", "link to unknown container \"ghost\"");
  expect_error(r, "a.yaml:3:28", "links to itself");
}

TEST_F(LoaderTest, NodeMustNameAHostWhenHostsExist) {
  const LoadResult r = load_text(R"(hosts:
  - {name: h1, address: 192.0.2.1}
containers:
  - name: a
    node: h1
  - name: b
  - name: c
    node: h9
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:6:5", "container \"b\": needs \"node\" because hosts are declared");
  expect_error(r, "a.yaml:8:11", "node \"h9\" is not one of the declared hosts");
}

TEST_F(LoaderTest, NodeWithoutHosts) {
  const LoadResult r = load_text("containers:\n  - name: a\n    node: h1\n");
  expect_single_error(r, "a.yaml:3:11", "node \"h1\" is not declared (no hosts given)");
}

TEST_F(LoaderTest, SysctlsMustBeNetworkOnes) {
  const LoadResult r = load_text("containers:\n  - name: a\n    sysctls:\n      kernel.shmmax: 1\n");
  expect_single_error(r, "a.yaml:4:7", "sysctl \"kernel.shmmax\" is not a network sysctl");
}

TEST_F(LoaderTest, RoutesAreChecked) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    routes:
      - {dst: 10.1.0.0/16, via: 10.0.0.1}
      - {dst: 10.2.0.1/16, via: 10.0.0.1}
      - {dst: fd00::/64, via: 10.0.0.1}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:5:15", "route dst 10.2.0.1/16 has host bits set");
  expect_error(r, "a.yaml:6:31", "route via 10.0.0.1 is not of the same family as fd00::/64");
}

TEST_F(LoaderTest, ExtraHostsAndDnsSyntax) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    extra_hosts: ["db:10.0.0.5", "v6:fd00::5", "bad:10.0.0"]
    dns: [1.1.1.1, "::1", 1.1.1]
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:3:48", "extra_hosts \"bad:10.0.0\": \"10.0.0\" is not an IP address");
  expect_error(r, "a.yaml:4:27", "dns server \"1.1.1\" is not an IP address");
}

// Issue 13 point 7: "any address" and the broadcast address parsed and were
// written into the hosts file, where a connection to the name goes nowhere.
TEST_F(LoaderTest, ExtraHostsAnyAndBroadcastAddressesAreRefused) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    extra_hosts: ["z:0.0.0.0", "b:255.255.255.255", "z6:::", "ok:10.0.0.5"]
)");
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  expect_error(r, "a.yaml:3:19", "container \"a\": extra_hosts \"z:0.0.0.0\": 0.0.0.0 is the unspecified address");
  expect_error(r, "a.yaml:3:32", "extra_hosts \"b:255.255.255.255\": 255.255.255.255 is the broadcast address");
  expect_error(r, "a.yaml:3:53", "extra_hosts \"z6:::\": :: is the unspecified address");
}

TEST_F(LoaderTest, PortStringsAreParsed) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "8081:81/udp", "192.0.2.1:8082:82", "[fd00::1]:8083:83", "99999:80", "1.2.3:80:80"]
attachments:
  - {container: a, network: n}
)");
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  expect_error(r, "a.yaml:6:60", "publishing on an IPv6 host address (fd00::1) is not supported yet");
  expect_error(r, "a.yaml:6:81", "port \"99999:80\": host port \"99999\" is not a port number");
  expect_error(r, "a.yaml:6:93", "\"1.2.3\" is not an IP address");
}

TEST_F(LoaderTest, PortStringsFillTheModel) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "8081:81/udp", "192.0.2.1:8082:82", {host_port: 8083, container_port: 83, protocol: sctp}]
attachments:
  - {container: a, network: n}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& p = r.desired.containers[0].ports;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].host_port, 8080);
  EXPECT_EQ(p[0].container_port, 80);
  EXPECT_EQ(p[0].protocol, "tcp");
  EXPECT_EQ(p[0].host_ip, "");
  EXPECT_EQ(p[1].protocol, "udp");
  EXPECT_EQ(p[2].host_ip, "192.0.2.1");
  EXPECT_EQ(p[3].protocol, "sctp");
  EXPECT_EQ(p[3].where.line, 6);
}

TEST_F(LoaderTest, SameHostPortTwiceNamesBothContainers) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "53:53/udp"]
  - name: b
    ports: ["8080:8080", "53:53/tcp", "192.0.2.1:9000:90"]
  - name: c
    ports: ["192.0.2.2:9000:90"]
attachments:
  - {container: a, network: n}
  - {container: b, network: n}
  - {container: c, network: n}
)");
  expect_single_error(r, "a.yaml:8:13", "container \"b\": host port 8080/tcp is already published by container \"a\" at a.yaml:6:13");
}

// Issue 15: the clash rule. Every host address includes 127.0.0.1, so two
// containers cannot have "8080:80" and "127.0.0.1:8080:80" (Docker refuses
// that pair too); "0.0.0.0" written out is every address as well.
TEST_F(LoaderTest, APortOnEveryAddressClashesWithTheSamePortOnLoopbackOfAnotherContainer) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "0.0.0.0:9090:90"]
  - name: b
    ports: ["127.0.0.1:8080:80", "127.0.0.1:9090:90"]
attachments:
  - {container: a, network: n}
  - {container: b, network: n}
)");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  expect_error(r, "a.yaml:8:13",
               "container \"b\": host port 127.0.0.1:8080/tcp is already published by container \"a\" at a.yaml:6:13 "
               "(on every host address)");
  expect_error(r, "a.yaml:8:34", "host port 127.0.0.1:9090/tcp is already published by container \"a\" at a.yaml:6:24");
}

// What is not a clash: other protocols, other specific addresses, ports
// topo chooses, and one container publishing its own port again on an
// address the first already covers (redundant: published once).
TEST_F(LoaderTest, PublishedPortsClashOnlyWhenTheyLeadToDifferentPlaces) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "127.0.0.1:8080:80", "8080:80", "192.0.2.1:9000:90", "80", "127.0.0.1::80"]
  - name: b
    ports: ["8080:80/udp", "192.0.2.2:9000:90", "127.0.0.2:9000:90", "80", "127.0.0.1::80"]
attachments:
  - {container: a, network: n}
  - {container: b, network: n}
)");
  EXPECT_TRUE(r.ok()) << dump(r);
}

// One container, one host port on overlapping addresses, two container
// ports: a connection could go either way.
TEST_F(LoaderTest, OneContainerCannotSendOneHostPortToTwoOfItsPorts) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["8080:80", "127.0.0.1:8080:81"]
attachments:
  - {container: a, network: n}
)");
  expect_single_error(r, "a.yaml:6:24",
                      "host port 127.0.0.1:8080/tcp is already published by this container (to its port 80) at "
                      "a.yaml:6:13 (on every host address)");
}

// Issue 15: a host port left out is chosen by topo (0 in the model), in the
// string forms and the object form.
TEST_F(LoaderTest, PortsWithoutAHostPortAreLeftForTopoToChoose) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["80", "53/udp", "127.0.0.1::81", {container_port: 82}, {container_port: 83, host_ip: 127.0.0.1, protocol: udp}]
attachments:
  - {container: a, network: n}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& p = r.desired.containers[0].ports;
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].host_port, 0);
  EXPECT_EQ(p[0].container_port, 80);
  EXPECT_EQ(p[0].host_ip, "");
  EXPECT_EQ(p[0].protocol, "tcp");
  EXPECT_EQ(p[1].host_port, 0);
  EXPECT_EQ(p[1].container_port, 53);
  EXPECT_EQ(p[1].protocol, "udp");
  EXPECT_EQ(p[2].host_port, 0);
  EXPECT_EQ(p[2].container_port, 81);
  EXPECT_EQ(p[2].host_ip, "127.0.0.1");
  EXPECT_EQ(p[3].host_port, 0);
  EXPECT_EQ(p[3].container_port, 82);
  EXPECT_EQ(p[4].host_port, 0);
  EXPECT_EQ(p[4].host_ip, "127.0.0.1");
  EXPECT_EQ(p[4].protocol, "udp");
}

TEST_F(LoaderTest, AContainerPortIsStillRequired) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["127.0.0.1::", "x", {host_port: 8080}]
attachments:
  - {container: a, network: n}
)");
  EXPECT_FALSE(r.ok()) << dump(r);
  EXPECT_GE(r.errors.size(), 3u) << dump(r);
}

// Not silently accepted and left without effect.
TEST_F(LoaderTest, PublishingOnIpv6HostAddressesIsRefusedForNow) {
  const LoadResult r = load_text(std::string(kNet) + R"(containers:
  - name: a
    ports: ["127.0.0.1:8080:80", {host_port: 8081, container_port: 81, host_ip: "::"}]
attachments:
  - {container: a, network: n}
)");
  expect_single_error(r, "a.yaml:6:34", "publishing on an IPv6 host address (::) is not supported yet");
}

TEST_F(LoaderTest, PortsNeedANetworkWithAWayOut) {
  const LoadResult r = load_text(R"(networks:
  - {name: n, subnet: 10.0.0.0/24, internal: true}
containers:
  - name: a
    ports: ["8080:80"]
attachments:
  - {container: a, network: n}
)");
  expect_single_error(r, "a.yaml:5:12", "publishes ports but is attached to no network that is not internal");
}

// The firewall publishes ports on bridges only: on a p2p or macvlan network
// alone they would silently do nothing.
TEST_F(LoaderTest, PortsNeedABridgeToBePublishedOn) {
  const LoadResult r = load_text(R"(networks:
  - {name: w, driver: p2p, subnet: 10.0.0.0/30}
containers:
  - name: a
    ports: ["8080:80"]
  - name: b
attachments:
  - {container: a, network: w}
  - {container: b, network: w}
)");
  expect_single_error(r, "a.yaml:5:12", "publishes ports but is attached to no bridge or overlay network");
}

TEST_F(LoaderTest, AdoptedNamespaceOnlyOnce) {
  const LoadResult r = load_text(R"(containers:
  - {name: a, netns: /proc/1/ns/net}
  - {name: b, netns: /proc/1/ns/net}
)");
  expect_single_error(r, "a.yaml:3:22", "netns /proc/1/ns/net is already adopted by container \"a\"");
}

// manifest.md, the netns row: topo's own namespace and another container's
// are refused (the kernel preflight compares inodes; these are the spellings
// known without looking).
TEST_F(LoaderTest, AdoptingTopoOwnOrAnotherContainersNamespaceIsRefused) {
  const LoadResult r = load_text(R"(containers:
  - {name: a, netns: /proc/self/ns/net}
  - {name: b, netns: /proc/thread-self/ns/net}
  - {name: c, netns: "/proc//self/./ns/net"}
  - {name: d, netns: /proc/self/task/12/ns/net}
  - {name: e, netns: /run/netns/m}
  - {name: m}
  - {name: f, netns: /proc/77/ns/net}
  - {name: g, netns: "/proc/77/./ns/net"}
)");
  ASSERT_EQ(r.errors.size(), 6u) << dump(r);
  expect_error(r, "a.yaml:2:22", "container \"a\": netns /proc/self/ns/net is the network namespace topo itself runs in");
  expect_error(r, "a.yaml:3:22", "netns /proc/thread-self/ns/net is the network namespace topo itself runs in");
  expect_error(r, "a.yaml:4:22", "is the network namespace topo itself runs in");
  expect_error(r, "a.yaml:5:22", "is the network namespace topo itself runs in");
  expect_error(r, "a.yaml:6:22", "netns /run/netns/m is the namespace of container \"m\"; use network_mode: container:m");
  expect_error(r, "a.yaml:9:22", "is already adopted by container \"f\" at a.yaml:8:22");
}

// Keys that would leave /proc/sys/net, or that the writer would refuse mid-apply.
TEST_F(LoaderTest, SysctlKeysMustStayUnderNet) {
  const LoadResult r = load_text(R"(containers:
  - name: a
    sysctls:
      kernel.x: 1
      net..x: 1
      net/../kernel/x: 1
      net.ipv4/../../kernel.x: 1
      net.ipv4.: 1
      net.ipv4.conf./.x: 1
      "net.ipv4 x": 1
      net.ipv4.conf.br/1.rp_filter: 1
      net.ipv4.ip_forward: 1
)");
  ASSERT_EQ(r.errors.size(), 7u) << dump(r);
  expect_error(r, "a.yaml:4:7", "sysctl \"kernel.x\" is not a network sysctl");
  expect_error(r, "a.yaml:5:7", "sysctl \"net..x\" has an empty part");
  expect_error(r, "a.yaml:6:7", "sysctl \"net/../kernel/x\" is not a network sysctl");
  expect_error(r, "a.yaml:7:7", "sysctl \"net.ipv4/../../kernel.x\" contains a path step");
  expect_error(r, "a.yaml:8:7", "sysctl \"net.ipv4.\" has an empty part");
  expect_error(r, "a.yaml:9:7", "sysctl \"net.ipv4.conf./.x\" has a part that starts or ends with '/'");
  expect_error(r, "a.yaml:10:7", "sysctl \"net.ipv4 x\" has characters other than");
}

}  // namespace
}  // namespace topo::testing
