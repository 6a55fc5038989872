// The content of the per-container hosts and resolv.conf files.
#include "providers/files/files_provider.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <memory>
#include <sstream>

#include "reconciler/resources/ownership.hpp"

#include "tests/unit/model_builders.hpp"

namespace topo {
using namespace topo::testing;

namespace {

// Two networks: a, b, c on front; c and d on back. c has an alias on back.
struct World {
  Desired d;
  Allocations alloc;
  World() {
    d.networks = {bridge_network("back", "10.2.0.0/24"), bridge_network("front", "10.1.0.0/24")};
    d.containers = {container("a"), container("b"), container("c"), container("d")};
    d.attachments = {attach("a", "front", "10.1.0.10"), attach("b", "front", "10.1.0.11"),
                     attach("c", "back", "10.2.0.12"), attach("c", "front", "10.1.0.12"),
                     attach("d", "back", "10.2.0.13")};
    d.attachments[2].interface = "eth0";
    d.attachments[3].interface = "eth1";
    d.attachments[2].aliases = {"cache"};
    d.attachments[1].aliases = {"api", "api.local"};
    for (const auto& a : d.attachments) alloc[attachment_key(a)].ipv4 = a.ipv4;
  }
  Container& ctr(const std::string& n) {
    for (auto& c : d.containers)
      if (c.name == n) return c;
    throw std::runtime_error("no container " + n);
  }
  std::string hosts(const std::string& n) { return render_hosts(ctr(n), RenderContext{d, alloc, ""}); }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool has_line(const std::string& text, const std::string& l) {
  for (const auto& x : lines(text))
    if (x == l) return true;
  return false;
}

// Every address the file gives for a name (whitespace-separated fields).
std::vector<std::string> resolve(const std::string& hosts, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& l : lines(hosts)) {
    if (l.empty() || l[0] == '#') continue;
    std::istringstream f(l);
    std::string addr, n;
    f >> addr;
    while (f >> n)
      if (n == name) out.push_back(addr);
  }
  return out;
}

}  // namespace

TEST(FilesProvider, HostsHasLocalhostAndItself) {
  World w;
  w.ctr("a").hostname = "alpha";
  std::string h = w.hosts("a");
  EXPECT_TRUE(has_line(h, "127.0.0.1\tlocalhost")) << h;
  EXPECT_TRUE(has_line(h, "::1\tlocalhost ip6-localhost ip6-loopback")) << h;
  EXPECT_TRUE(has_line(h, "10.1.0.10\talpha a")) << h;
  EXPECT_EQ(h.rfind("# Managed by topo", 0), 0u) << h;
}

TEST(FilesProvider, HostsHasEveryOtherMemberByNameAndAliasAtItsAddressOnThatNetwork) {
  World w;
  std::string h = w.hosts("a");
  EXPECT_TRUE(has_line(h, "10.1.0.11\tb api api.local b.front api.front api.local.front")) << h;
  // c is on front and back: a shares only front, so it sees c's front address.
  EXPECT_EQ(resolve(h, "c"), std::vector<std::string>{"10.1.0.12"}) << h;
  // c's alias belongs to its back attachment: a does not see it.
  EXPECT_TRUE(resolve(h, "cache").empty()) << h;
  // d is on another network.
  EXPECT_TRUE(resolve(h, "d").empty()) << h;
}

// Docker's resolver answers NAME.NETWORK and ALIAS.NETWORK: the qualified
// name tells two networks' members apart.
TEST(FilesProvider, MembersResolveQualifiedByTheirNetworkToo) {
  World w;
  std::string h = w.hosts("c");
  EXPECT_EQ(resolve(h, "a.front"), std::vector<std::string>{"10.1.0.10"}) << h;
  EXPECT_EQ(resolve(h, "d.back"), std::vector<std::string>{"10.2.0.13"}) << h;
  EXPECT_EQ(resolve(w.hosts("a"), "api.front"), std::vector<std::string>{"10.1.0.11"});
  // Only on the network the name belongs to.
  EXPECT_TRUE(resolve(h, "a.back").empty()) << h;
  EXPECT_TRUE(resolve(w.hosts("a"), "c.back").empty());
}

TEST(FilesProvider, AContainerOnTwoNetworksSeesTheMembersOfBoth) {
  World w;
  std::string h = w.hosts("c");
  EXPECT_EQ(resolve(h, "a"), std::vector<std::string>{"10.1.0.10"});
  EXPECT_EQ(resolve(h, "d"), std::vector<std::string>{"10.2.0.13"});
  // Itself at both addresses, its back alias on the back address.
  EXPECT_EQ(resolve(h, "c"), (std::vector<std::string>{"10.2.0.12", "10.1.0.12"}));
  EXPECT_EQ(resolve(h, "cache"), std::vector<std::string>{"10.2.0.12"});
  // And d sees c's alias.
  EXPECT_EQ(resolve(w.hosts("d"), "cache"), std::vector<std::string>{"10.2.0.12"});
}

TEST(FilesProvider, LinksAreOneWayAndResolveUnderTheAlias) {
  World w;
  w.ctr("a").links = {{"d", "db"}};  // no shared network: d's first address
  w.ctr("b").links = {{"a", "a"}};   // no alias: the target's name
  std::string ha = w.hosts("a");
  EXPECT_EQ(resolve(ha, "db"), std::vector<std::string>{"10.2.0.13"}) << ha;
  EXPECT_EQ(resolve(ha, "d"), std::vector<std::string>{"10.2.0.13"}) << ha;
  EXPECT_TRUE(resolve(w.hosts("d"), "db").empty());
  EXPECT_TRUE(resolve(w.hosts("c"), "db").empty());
  EXPECT_TRUE(has_line(w.hosts("b"), "10.1.0.10\ta")) << w.hosts("b");
}

TEST(FilesProvider, LinkPrefersTheAddressOnASharedNetwork) {
  World w;
  w.ctr("d").links = {{"c", "store"}};
  EXPECT_EQ(resolve(w.hosts("d"), "store"), std::vector<std::string>{"10.2.0.12"});
}

TEST(FilesProvider, ExtraHostsAreListed) {
  World w;
  w.ctr("a").extra_hosts = {{"db", *IpAddress::parse("10.9.9.9")}, {"v6", *IpAddress::parse("fd00::5")}};
  std::string h = w.hosts("a");
  EXPECT_TRUE(has_line(h, "10.9.9.9\tdb")) << h;
  EXPECT_TRUE(has_line(h, "fd00::5\tv6")) << h;
}

TEST(FilesProvider, AContainerWithoutAddressesStillResolvesItself) {
  World w;
  Container lone = container("lone");
  lone.network_mode = NetworkMode::None;
  w.d.containers.push_back(lone);
  std::string h = w.hosts("lone");
  EXPECT_TRUE(has_line(h, "127.0.1.1\tlone")) << h;
  EXPECT_TRUE(resolve(h, "a").empty());
}

TEST(FilesProvider, Ipv6AddressesAreListedToo) {
  World w;
  w.alloc[attachment_key(w.d.attachments[1])].ipv6 = IpAddress::parse("fd00::11");
  EXPECT_EQ(resolve(w.hosts("a"), "b"), (std::vector<std::string>{"10.1.0.11", "fd00::11"}));
}

TEST(FilesProvider, ResolvConfFromDnsAndSearch) {
  Container c = container("a");
  c.dns = {"10.0.0.53", "fd00::53"};
  c.dns_search = {"example.com", "corp"};
  std::string r = render_resolv_conf(c, "nameserver 8.8.8.8\nsearch host.lan\noptions ndots:2\n");
  EXPECT_TRUE(has_line(r, "nameserver 10.0.0.53")) << r;
  EXPECT_TRUE(has_line(r, "nameserver fd00::53")) << r;
  EXPECT_TRUE(has_line(r, "search example.com corp")) << r;
  EXPECT_TRUE(has_line(r, "options ndots:2")) << r;  // options still come from the host
  EXPECT_EQ(r.find("8.8.8.8"), std::string::npos) << r;
  EXPECT_EQ(r.find("host.lan"), std::string::npos) << r;
}

TEST(FilesProvider, ResolvConfCopiesTheHostsWithoutLoopbackServers) {
  Container c = container("a");
  std::string r = render_resolv_conf(c, "# host comment\nnameserver 127.0.0.53\nnameserver 192.0.2.1\n"
                                        "nameserver ::1\ndomain lan\nsearch lan corp\n");
  EXPECT_TRUE(has_line(r, "nameserver 192.0.2.1")) << r;
  EXPECT_FALSE(has_line(r, "nameserver 127.0.0.53")) << r;
  EXPECT_FALSE(has_line(r, "nameserver ::1")) << r;
  EXPECT_TRUE(has_line(r, "search lan corp")) << r;
  EXPECT_TRUE(has_line(r, "domain lan")) << r;
  EXPECT_EQ(r.find("host comment"), std::string::npos) << r;
}

TEST(FilesProvider, DnsSearchAloneKeepsTheHostsServers) {
  Container c = container("a");
  c.dns_search = {"example.com"};
  std::string r = render_resolv_conf(c, "nameserver 192.0.2.1\nsearch lan\n");
  EXPECT_TRUE(has_line(r, "nameserver 192.0.2.1")) << r;
  EXPECT_TRUE(has_line(r, "search example.com")) << r;
  EXPECT_FALSE(has_line(r, "search lan")) << r;
}

TEST(FilesProvider, RendersTwoFilesPerContainerButNotForHostMode) {
  World w;
  Container joiner = container("j");
  joiner.network_mode = NetworkMode::Container;
  joiner.mode_target = "a";
  Container host = container("h");
  host.network_mode = NetworkMode::Host;
  Container adopted = container("x");
  adopted.netns = "/proc/1/ns/net";
  w.d.containers = {w.d.containers[0], w.d.containers[1], w.d.containers[2], w.d.containers[3], host, joiner, adopted};
  auto rendered = render_all(w.d, w.alloc, "nameserver 192.0.2.1\n").resources;
  std::vector<std::string> keys;
  std::map<std::string, std::string> content;
  for (const auto& r : rendered)
    if (r.kind == Kind::File) {
      keys.push_back(r.key());
      content[r.key()] = r.attr(attr::content);
      EXPECT_EQ(r.origin, "container/" + r.ns);
      EXPECT_FALSE(r.attr(attr::content).empty());
    }
  EXPECT_EQ(keys, (std::vector<std::string>{"file a/hosts", "file a/resolv.conf", "file b/hosts", "file b/resolv.conf",
                                            "file c/hosts", "file c/resolv.conf", "file d/hosts", "file d/resolv.conf",
                                            "file j/hosts", "file j/resolv.conf", "file x/hosts",
                                            "file x/resolv.conf"}));
  // The joiner shares a's namespace, so it sees a's view.
  EXPECT_EQ(content["file j/hosts"], content["file a/hosts"]);
  EXPECT_EQ(content["file j/resolv.conf"], content["file a/resolv.conf"]);
}

TEST(FilesProvider, WritesTheFilesTheObserverReadsBack) {
  std::vector<std::string> observed(std::begin(ownership::kEtcFiles), std::end(ownership::kEtcFiles));
  EXPECT_EQ(observed, (std::vector<std::string>{kHostsFile, kResolvConfFile}));
}

TEST(FilesProvider, MembersOnOtherNodesAreListedFromTheWholeModel) {
  World w;
  // This node's slice holds only a; b and c live on other nodes.
  Desired slice;
  slice.networks = w.d.networks;
  slice.containers = {w.d.containers[0]};
  slice.attachments = {w.d.attachments[0]};
  slice.cluster = std::make_shared<const Desired>(w.d);
  std::string h = render_hosts(slice.containers[0], RenderContext{slice, w.alloc, ""});
  EXPECT_EQ(resolve(h, "b"), std::vector<std::string>{"10.1.0.11"}) << h;
  EXPECT_EQ(resolve(h, "c"), std::vector<std::string>{"10.1.0.12"}) << h;
}

TEST(FilesProvider, ContentIsDeterministic) {
  World a, b;
  EXPECT_EQ(a.hosts("c"), b.hosts("c"));
}

}  // namespace topo
