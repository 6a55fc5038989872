// verify's planning, without a kernel: checks against a hand-made view become
// probes from the right namespace to the right address, and the implied
// checks follow icc, isolation, internal networks and published ports.
#include <gtest/gtest.h>

#include "reconciler/verify/check_plan.hpp"
#include "reconciler/verify/check_results.hpp"

namespace topo::verify {
namespace {

view::MemberView member(const std::string& c, const std::string& net, const std::string& ip, bool def = true) {
  view::MemberView m;
  m.container = c;
  m.network = net;
  m.interface = "eth0";
  m.ipv4 = ip;
  m.default_route = def;
  return m;
}

view::ContainerView container(const std::string& name, std::vector<view::MemberView> ifs) {
  view::ContainerView c;
  c.name = name;
  c.mode = "default";
  c.netns = "/run/netns/" + name;
  c.interfaces = std::move(ifs);
  return c;
}

view::NetworkView network(const std::string& name, const std::string& subnet, const std::string& gw,
                          std::vector<view::MemberView> members, bool icc = true) {
  view::NetworkView n;
  n.name = name;
  n.stack = "default";
  n.driver = "bridge";
  n.host_bridge = "br-" + name;
  n.subnets = {{subnet, gw, ""}};
  n.options = {{"bridge", n.host_bridge}, {"icc", icc ? "true" : "false"}, {"isolated", "true"}};
  n.members_reach_each_other = icc;
  n.isolated = true;
  n.members = std::move(members);
  return n;
}

// a and b on front; b and c on back (icc: false); d on inner (internal).
view::TopologyView topology() {
  view::TopologyView v;
  auto a = member("a", "front", "10.0.0.2"), b1 = member("b", "front", "10.0.0.3"),
       b2 = member("b", "back", "10.0.1.2", false), c = member("c", "back", "10.0.1.3"),
       d = member("d", "inner", "10.0.2.2", false);
  b2.interface = "eth1";
  v.networks = {network("back", "10.0.1.0/24", "10.0.1.1", {b2, c}, /*icc=*/false),
                network("front", "10.0.0.0/24", "10.0.0.1", {a, b1}),
                network("inner", "10.0.2.0/24", "10.0.2.1", {d})};
  v.networks[2].internal = true;
  auto cc = container("c", {c});
  view::PortView port;
  port.protocol = "tcp";
  port.host_port = 8080;
  port.container_port = 80;
  cc.ports = {port};
  auto side = container("side", {});
  side.mode = "container";
  side.mode_target = "a";
  side.netns = "/run/netns/a";
  v.containers = {container("a", {a}), container("b", {b1, b2}), cc, container("d", {d}), side};
  return v;
}

Check check(const std::string& from, const std::string& to) {
  Check c;
  c.from = from;
  c.to = to;
  return c;
}

TEST(VerifyPlan, AContainerTargetIsItsAddressOnASharedNetwork) {
  Check tcp = check("a", "b");
  tcp.port = 80;
  tcp.protocol = CheckProtocol::Tcp;
  Check far = check("a", "c");  // no network shared: c's address on its default route's network
  Check joined = check("side", "b");
  auto planned = plan_checks({tcp, far, joined}, topology(), "/etc/netns");
  ASSERT_EQ(planned.size(), 3u);
  EXPECT_EQ(planned[0].probe.kind, ProbeKind::Tcp);
  EXPECT_EQ(planned[0].probe.address, "10.0.0.3");
  EXPECT_EQ(planned[0].probe.port, 80);
  EXPECT_EQ(planned[0].probe.netns, "/run/netns/a");
  EXPECT_EQ(planned[0].target, "b (10.0.0.3):80/tcp");
  EXPECT_EQ(planned[1].probe.address, "10.0.1.3");
  EXPECT_NE(planned[1].target.find("no network shared"), std::string::npos) << planned[1].target;
  // A joiner probes from its target's namespace, with its own files.
  EXPECT_EQ(planned[2].probe.netns, "/run/netns/a");
  EXPECT_EQ(planned[2].probe.etc_dir, "/etc/netns/side");
  EXPECT_EQ(planned[2].probe.address, "10.0.0.3");
}

TEST(VerifyPlan, AResolveCheckExpectsTheNamedContainersAddresses) {
  Check r;
  r.from = "a";
  r.resolve = "b";
  Check other;
  other.from = "a";
  other.resolve = "example.org";
  auto planned = plan_checks({r, other}, topology(), "/etc/netns");
  EXPECT_EQ(planned[0].probe.kind, ProbeKind::Resolve);
  EXPECT_EQ(planned[0].probe.etc_dir, "/etc/netns/a");
  EXPECT_EQ(planned[0].expected_addresses, (std::vector<std::string>{"10.0.0.3", "10.0.1.2"}));
  EXPECT_TRUE(planned[1].expected_addresses.empty());
}

TEST(VerifyPlan, ATargetWithoutAnAddressCannotRunAndFails) {
  auto v = topology();
  v.containers.push_back(container("lonely", {}));
  auto planned = plan_checks({check("a", "lonely")}, v, "/etc/netns");
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_FALSE(planned[0].cannot_run.empty());
  CheckOutcome o = judge(planned[0], ProbeResult{true, {}, "", 0});
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.result.detail, planned[0].cannot_run);
}

TEST(VerifyPlan, ImpliedChecksFollowTheTopologysPromises) {
  auto implied = implied_checks(topology(), "/etc/netns", 1000);
  auto find = [&](const std::string& from, const std::string& address) -> const PlannedCheck* {
    for (const auto& c : implied)
      if (c.from == from && c.probe.address == address) return &c;
    return nullptr;
  };
  // Gateways.
  ASSERT_TRUE(find("a", "10.0.0.1"));
  EXPECT_TRUE(find("a", "10.0.0.1")->expect_reachable);
  // Members: reachable on front, not under icc: false on back.
  ASSERT_TRUE(find("a", "10.0.0.3"));
  EXPECT_TRUE(find("a", "10.0.0.3")->expect_reachable);
  ASSERT_TRUE(find("b", "10.0.1.3"));
  EXPECT_FALSE(find("b", "10.0.1.3")->expect_reachable);
  EXPECT_EQ(find("b", "10.0.1.3")->why, "icc: false on back");
  // Isolation: a (front only) must not reach back's first member; b is on both and is not asked.
  ASSERT_TRUE(find("a", "10.0.1.2"));
  EXPECT_FALSE(find("a", "10.0.1.2")->expect_reachable);
  // Internal: d reaches no other network's gateway.
  ASSERT_TRUE(find("d", "10.0.0.1"));
  EXPECT_FALSE(find("d", "10.0.0.1")->expect_reachable);
  // Published port, from the host.
  ASSERT_TRUE(find("host", "127.0.0.1"));
  EXPECT_EQ(find("host", "127.0.0.1")->probe.port, 8080);
  EXPECT_EQ(find("host", "127.0.0.1")->probe.netns, "");
  for (const auto& c : implied) EXPECT_EQ(c.probe.timeout_ms, 1000);
}

TEST(VerifyResults, JudgedAgainstTheExpectationAndReported) {
  auto planned = plan_checks({check("a", "b")}, topology(), "/etc/netns");
  PlannedCheck must_not = planned[0];
  must_not.expect_reachable = false;
  std::vector<CheckOutcome> outcomes = {judge(planned[0], {true, {}, "echo reply in 1 ms", 1}),
                                        judge(must_not, {true, {}, "echo reply in 1 ms", 1})};
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_FALSE(outcomes[1].passed);
  const std::string text = format_text(outcomes, false);
  EXPECT_NE(text.find("PASS  a -> b (10.0.0.3) (icmp): expected reachable, echo reply in 1 ms"), std::string::npos)
      << text;
  EXPECT_NE(text.find("FAIL  a -> b (10.0.0.3) (icmp): expected unreachable"), std::string::npos) << text;
  EXPECT_NE(text.find("1 passed, 1 failed\n"), std::string::npos);
  const std::string tap = format_tap(outcomes);
  EXPECT_EQ(tap.rfind("TAP version 13\n1..2\nok 1 - ", 0), 0u) << tap;
  EXPECT_NE(tap.find("\nnot ok 2 - "), std::string::npos) << tap;
  const std::string json = format_json(outcomes);
  EXPECT_NE(json.find("\"format_version\": 1"), std::string::npos);
  EXPECT_NE(json.find("\"failed\": 1"), std::string::npos);
  EXPECT_NE(json.find("\"passed\": false"), std::string::npos);
}

// Nothing learnt (no socket, no namespace): never a pass, even for "unreachable".
TEST(VerifyResults, AProbeNotTriedFailsWhateverItExpects) {
  auto planned = plan_checks({check("a", "b")}, topology(), "/etc/netns");
  planned[0].expect_reachable = false;
  ProbeResult r{false, {}, "raw ICMP socket: Operation not permitted", 0};
  r.not_tried = true;
  EXPECT_FALSE(judge(planned[0], r).passed);
  r.not_tried = false;
  EXPECT_TRUE(judge(planned[0], r).passed);
}

TEST(VerifyResults, AResolveToAnotherAddressFails) {
  Check r;
  r.from = "a";
  r.resolve = "b";
  auto planned = plan_checks({r}, topology(), "/etc/netns");
  CheckOutcome wrong = judge(planned[0], {true, {"10.9.9.9"}, "resolved to 10.9.9.9", 1});
  EXPECT_FALSE(wrong.passed);
  EXPECT_NE(wrong.result.detail.find("not to the container's address"), std::string::npos);
  EXPECT_TRUE(judge(planned[0], {true, {"10.0.1.2"}, "resolved to 10.0.1.2", 1}).passed);
}

}  // namespace
}  // namespace topo::verify
