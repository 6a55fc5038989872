// Stacks (issue 12, contract "Stacks"): two stacks side by side on one host,
// each planning `No changes.`; destroying one leaves the other exactly as it
// was (links, addresses, routes, nftables, /etc/netns); a clash between them
// is refused naming the other stack, with nothing changed; and networks of
// different stacks are isolated from each other.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kShop = R"(version: 1
stack: shop
networks:
  - name: shopnet
    subnet: 172.20.0.0/24
containers:
  - name: s1
    ports: ["8080:80"]
  - name: s2
attachments:
  - {container: s1, network: shopnet}
  - {container: s2, network: shopnet}
)";

std::string blog(const std::string& extra_network_keys = "", const std::string& subnet = "172.21.0.0/24") {
  return "version: 1\nstack: blog\nnetworks:\n  - name: blognet\n    subnet: " + subnet + "\n" + extra_network_keys +
         "containers:\n  - name: b1\nattachments:\n  - {container: b1, network: blognet}\n";
}

// Everything a stack could touch on the host, for before/after comparisons.
std::string host_state() {
  return kernel_snapshot() + "--- nft\n" + sh("nft list ruleset").out + "--- /etc/netns\n" +
         sh("cd /etc/netns && find . | sort && cat */* 2>/dev/null").out;
}

class E2EStacks : public E2ETest {
 protected:
  void TearDown() override {
    if (sandboxed_) topo({"destroy", other_.path(), "--auto-approve"});
    E2ETest::TearDown();
  }
  ManifestDir other_;
};

TEST_F(E2EStacks, TwoStacksSideBySideAndDestroyingOneLeavesTheOtherAsItWas) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();

  other_.write("blog.yaml", blog());
  CmdResult b = topo({"apply", other_.path()});
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  EXPECT_EQ(last_line(plan().out), "No changes.") << "the blog stack must not change the shop's plan";
  EXPECT_EQ(last_line(topo({"plan", other_.path()}).out), "No changes.");

  // show lists both, each object with its stack.
  CmdResult show = topo({"show"});
  EXPECT_NE(show.out.find("stack shop, network/shopnet"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("stack blog, network/blognet"), std::string::npos) << show.out;
  CmdResult only = topo({"show", "--stack", "blog"});
  EXPECT_EQ(only.out.find("stack shop"), std::string::npos) << only.out;

  // Isolated from each other, as networks within a stack are.
  EXPECT_TRUE(ping("b1", "172.21.0.1"));
  EXPECT_TRUE(ping("s2", ipv4_of("s1", "eth0")));
  EXPECT_TRUE(no_reply("b1", ipv4_of("s1", "eth0"))) << "a container of another stack reached across";

  CmdResult d = topo({"destroy", other_.path()});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(host_state(), before) << "destroying the blog stack changed the shop's objects";
  EXPECT_EQ(last_line(plan().out), "No changes.");
  EXPECT_TRUE(ping("s2", ipv4_of("s1", "eth0")));
}

TEST_F(E2EStacks, DestroyByStackNameRemovesThatStackOnly) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  other_.write("blog.yaml", blog());
  ASSERT_EQ(topo({"apply", other_.path()}).exit_code, 0);
  CmdResult d = topo({"destroy", "--stack", "blog"});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_EQ(host_state(), before);
  EXPECT_FALSE(link_exists("", "br-blognet"));
}

TEST_F(E2EStacks, DestroyWithoutManifestsOrStackIsRefused) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  CmdResult d = topo({"destroy"});
  EXPECT_EQ(d.exit_code, 1) << d.describe();
  EXPECT_NE(d.err.find("--stack NAME"), std::string::npos) << d.describe();
  EXPECT_EQ(host_state(), before);
}

TEST_F(E2EStacks, AKernelNameHeldByAnotherStackIsAConflictNamingIt) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  other_.write("blog.yaml", blog("    bridge: br-shopnet\n"));
  CmdResult b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_NE(b.err.find("held by stack shop"), std::string::npos) << b.describe();
  EXPECT_NE(b.err.find("nothing was changed"), std::string::npos) << b.describe();
  EXPECT_EQ(host_state(), before);

  // A container name (its namespace) too.
  other_.write("blog.yaml", "version: 1\nstack: blog\ncontainers:\n  - name: s1\n");
  b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_NE(b.err.find("namespace /s1"), std::string::npos) << b.describe();
  EXPECT_NE(b.err.find("held by stack shop"), std::string::npos) << b.describe();
  EXPECT_EQ(host_state(), before);
  other_.write("blog.yaml", blog());  // for the teardown
}

TEST_F(E2EStacks, ASubnetHeldByAnotherStackIsAConflictNamingIt) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  other_.write("blog.yaml", blog("", "172.20.0.0/16"));
  CmdResult b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_NE(b.err.find("overlaps 172.20.0.0/24"), std::string::npos) << b.describe();
  EXPECT_NE(b.err.find("in stack shop"), std::string::npos) << b.describe();
  EXPECT_EQ(host_state(), before);
  other_.write("blog.yaml", blog());
}

TEST_F(E2EStacks, APublishedPortHeldByAnotherStackIsAConflict) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  std::string y = blog();
  y.replace(y.find("  - name: b1\n"), 13, "  - name: b1\n    ports: [\"8080:80\"]\n");
  other_.write("blog.yaml", y);
  CmdResult b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_NE(b.err.find("publish 0.0.0.0:8080/tcp"), std::string::npos) << b.describe();
  EXPECT_NE(b.err.find("held by stack shop"), std::string::npos) << b.describe();
  EXPECT_EQ(host_state(), before);
  other_.write("blog.yaml", blog());
}

// Issue 15: 127.0.0.1:8080 is one of shop's "8080:80" (every address): an
// overlap, not only the same intent name, is a conflict naming the stack.
TEST_F(E2EStacks, APublishedPortOverlappingAnotherStacksIsAConflict) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  std::string y = blog();
  y.replace(y.find("  - name: b1\n"), 13, "  - name: b1\n    ports: [\"127.0.0.1:8080:80\"]\n");
  other_.write("blog.yaml", y);
  CmdResult b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_NE(b.err.find("publish 127.0.0.1:8080/tcp (for container/b1 in stack blog) overlaps publish 0.0.0.0:8080/tcp "
                       "of container s1 in stack shop"),
            std::string::npos)
      << b.describe();
  EXPECT_EQ(host_state(), before);
  other_.write("blog.yaml", blog());
}

// Objects made before stacks existed carry no stack in their marks: they
// are the default stack's, and another stack leaves them alone.
TEST_F(E2EStacks, ObjectsWithoutAStackAreTheDefaultStacks) {
  dir_.write("plain.yaml", "version: 1\nnetworks:\n  - {name: plain, subnet: 172.22.0.0/24}\ncontainers:\n"
                           "  - name: p1\nattachments:\n  - {container: p1, network: plain}\n");
  ASSERT_EQ(apply().exit_code, 0);
  EXPECT_FALSE(link_with_alias("topo:network/plain").empty()) << "the default stack's marks are as before stacks";
  const std::string before = host_state();
  other_.write("blog.yaml", blog());
  ASSERT_EQ(topo({"apply", other_.path()}).exit_code, 0);
  EXPECT_FALSE(link_with_alias("topo:blog:network/blognet").empty());
  ASSERT_EQ(topo({"destroy", "--stack", "blog"}).exit_code, 0);
  EXPECT_EQ(host_state(), before);
  CmdResult d = topo({"destroy", "--stack", "default"});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_TRUE(netns_list().empty());
  dir_.write("plain.yaml", "version: 1\nnetworks:\n  - {name: plain, subnet: 172.22.0.0/24}\n");
}

}  // namespace
}  // namespace topo::e2e

namespace topo::e2e {
namespace {

// The host's own networks (issue 12 "The host is changed"): a bridge subnet
// over the uplink's network would make the host's gateway a local address.
class E2EHostNetworks : public E2ETest {
 protected:
  void TearDown() override {
    E2ETest::TearDown();
    if (sandboxed_) sh("ip link del uplink 2>/dev/null");
  }
};

TEST_F(E2EHostNetworks, ABridgeSubnetOverTheHostsOwnNetworkIsRefusedNamingIt) {
  // An uplink of the sandbox's host namespace: 192.168.60.2/24, default route via .1.
  CmdResult up = sh("ip link add uplink type veth peer name uplink-peer && ip addr add 192.168.60.2/24 dev uplink && "
                    "ip link set uplink up && ip link set uplink-peer up && ip route add default via 192.168.60.1");
  ASSERT_EQ(up.exit_code, 0) << up.describe();
  const std::string before = host_state();
  dir_.write("m.yaml", "version: 1\nnetworks:\n  - {name: lan, subnet: 192.168.60.0/24}\ncontainers:\n  - name: h1\n"
                       "attachments:\n  - {container: h1, network: lan}\n");
  CmdResult r = apply();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("overlaps the host's own"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("192.168.60.0/24 dev uplink"), std::string::npos) << "the message names the route\n"
                                                                          << r.describe();
  EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.describe();
  EXPECT_EQ(host_state(), before);

  // A subnet the host does not use is fine, and is not refused because of
  // its own bridge's route on the next plan.
  dir_.write("m.yaml", "version: 1\nnetworks:\n  - {name: lan, subnet: 192.168.61.0/24}\ncontainers:\n  - name: h1\n"
                       "attachments:\n  - {container: h1, network: lan}\n");
  r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(last_line(plan().out), "No changes.");
}

}  // namespace
}  // namespace topo::e2e

namespace topo::e2e {
namespace {

// On a terminal, destroy asks before it removes anything (issue 12
// "Guards"); script(1) gives the command a terminal, fed with the answer.
TEST_F(E2EStacks, OnATerminalDestroyAsksAndOnlyYesGoesAhead) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  const std::string cmd = std::string(TOPO_BINARY) + " destroy " + dir_.path();
  CmdResult no = sh("printf 'no\\n' | script -qec '" + cmd + "' /dev/null");
  EXPECT_NE(no.exit_code, 0) << no.describe();
  EXPECT_NE(no.all().find("Only 'yes' will be accepted"), std::string::npos) << no.describe();
  EXPECT_EQ(host_state(), before) << "destroy went ahead without a yes";
  CmdResult yes = sh("printf 'yes\\n' | script -qec '" + cmd + "' /dev/null");
  EXPECT_EQ(yes.exit_code, 0) << yes.describe();
  EXPECT_FALSE(link_exists("", "br-shopnet"));
  // Without a terminal nothing is asked (scripts, CI, the controller).
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult piped = sh("printf '' | " + cmd);
  EXPECT_EQ(piped.exit_code, 0) << piped.describe();
}

}  // namespace
}  // namespace topo::e2e

namespace topo::e2e {
namespace {

// Found by red-teaming the stacks: a container moved from one stack to
// another in one apply kept its old marks, and destroying the new stack
// left it behind.
TEST_F(E2EStacks, AContainerMovedToAnotherStackIsMadeAnewUnderIt) {
  dir_.write("a.yaml", "version: 1\nstack: alpha\ncontainers:\n  - name: mover\n  - name: stay\n");
  ASSERT_EQ(apply().exit_code, 0);
  dir_.write("a.yaml", "version: 1\nstack: alpha\ncontainers:\n  - name: stay\n---\nstack: beta\ncontainers:\n"
                       "  - name: mover\n");
  CmdResult p = plan();
  EXPECT_NE(p.out.find("-/+ namespace mover"), std::string::npos) << p.describe();
  ASSERT_EQ(apply().exit_code, 0);
  EXPECT_EQ(last_line(plan().out), "No changes.");
  CmdResult show = topo({"show", "--stack", "beta"});
  EXPECT_NE(show.out.find("namespace mover"), std::string::npos) << show.out;
  ASSERT_EQ(topo({"destroy", "--stack", "beta"}).exit_code, 0);
  EXPECT_EQ(netns_list(), std::vector<std::string>{"stay"});
}

// Adopting another stack's container namespace would put links into it.
TEST_F(E2EStacks, AdoptingAnotherStacksContainerNamespaceIsRefused) {
  dir_.write("shop.yaml", kShop);
  ASSERT_EQ(apply().exit_code, 0);
  const std::string before = host_state();
  other_.write("blog.yaml", "version: 1\nstack: blog\nnetworks:\n  - {name: blognet, subnet: 172.21.0.0/24}\n"
                            "containers:\n  - name: thief\n    netns: /run/netns/s1\n"
                            "attachments:\n  - {container: thief, network: blognet, interface: eth7}\n");
  CmdResult b = topo({"apply", other_.path()});
  EXPECT_EQ(b.exit_code, 1) << b.describe();
  EXPECT_EQ(host_state(), before);
  other_.write("blog.yaml", blog());
}

// A document that names no stack and declares nothing (`version: 1` next to
// a stack's manifests) must not put the default stack in scope.
TEST_F(E2EStacks, AnEmptyDocumentDoesNotEmptyTheDefaultStack) {
  other_.write("plain.yaml", "version: 1\ncontainers:\n  - name: plain1\n");
  ASSERT_EQ(topo({"apply", other_.path()}).exit_code, 0);
  dir_.write("shop.yaml", kShop);
  dir_.write("empty.yaml", "version: 1\n");
  CmdResult r = apply();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(link_exists("plain1", "lo")) << "the default stack's container was removed\n" << r.describe();
  other_.remove("plain.yaml");
  other_.write("blog.yaml", blog());
  ASSERT_EQ(topo({"destroy", "--stack", "default"}).exit_code, 0);
}

}  // namespace
}  // namespace topo::e2e

namespace topo::e2e {
namespace {

// Long stack and container names make a firewall rule's label longer than
// nftables keeps: refused by plan, before anything changes (red-team finding).
TEST_F(E2EStacks, AFirewallLabelTooLongIsRefusedBeforeAnythingChanges) {
  const std::string stack(63, 's'), name(63, 'c');
  dir_.write("long.yaml", "version: 1\nstack: " + stack + "\nnetworks:\n  - {name: " + std::string(60, 'n') +
                              ", bridge: br-long, subnet: 172.25.0.0/24}\ncontainers:\n  - name: " + name +
                              "\n    ports: [\"127.0.0.1:65000:65000/udp\"]\nattachments:\n  - {container: " + name +
                              ", network: " + std::string(60, 'n') + "}\n");
  const std::string before = host_state();
  CmdResult p = plan();
  EXPECT_EQ(p.exit_code, 1) << p.describe();
  EXPECT_NE(p.err.find("use shorter stack, network or container names"), std::string::npos) << p.describe();
  EXPECT_EQ(apply().exit_code, 1);
  EXPECT_EQ(host_state(), before);
  dir_.write("long.yaml", "version: 1\nstack: " + stack + "\n");
}

}  // namespace
}  // namespace topo::e2e
