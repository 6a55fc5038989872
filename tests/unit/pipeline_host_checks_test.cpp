// What prepare() checks against the host before anything changes (issue 13
// point 7): a host veth name taken (resolved, and said in the plan), a
// VXLAN id or UDP port already held, a bridge whose ports would run out.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "providers/bridge/bridge_provider.hpp"
#include "reconciler/ipam/veth_names.hpp"
#include "reconciler/output/plan_format.hpp"
#include "reconciler/pipeline/bridge_port_checks.hpp"
#include "reconciler/pipeline/pipeline.hpp"
#include "reconciler/pipeline/vxlan_checks.hpp"
#include "reconciler/resources/mode_attrs.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo::testing {
namespace {

namespace fs = std::filesystem;

// The fake kernel plus what the observer says about the host besides topo's
// objects, and the UDP sockets.
class HostKernel : public FakeKernel {
 public:
  Observed host;  // its host_links, foreign_vxlans, foreign_bridge_ports, held_resources
  std::vector<UdpSocket> sockets;
  Observed observe() override {
    Observed o = FakeKernel::observe();
    o.host_links = host.host_links;
    o.foreign_vxlans = host.foreign_vxlans;
    o.foreign_bridge_ports = host.foreign_bridge_ports;
    for (const auto& f : host.foreign) o.foreign.insert(f);
    for (const auto& r : host.held_resources) o.owned.push_back(r);  // scoped away by stack
    return o;
  }
  std::vector<UdpSocket> udp_sockets() override { return sockets; }
};

class PipelineHostChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "topo-hostchecks-XXXXXX").string();
    state_ = ::mkdtemp(tmpl.data());
  }
  void TearDown() override { fs::remove_all(state_); }
  std::string state_;
};

std::string joined(const UserError& e) {
  std::string s;
  for (const auto& l : e.lines) s += l + "\n";
  return s;
}

Desired overlay_model() {
  Desired d;
  Network n = bridge_network("ov", "10.50.0.0/24");
  make_overlay(n, 42);
  n.mtu = 1450;
  d.networks.push_back(n);
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "ov")};
  return d;
}

Resource link(const std::string& name, std::map<std::string, std::string> attrs, const std::string& stack,
              const std::string& origin) {
  Resource r = res(Kind::Link, "", name, std::move(attrs));
  r.stack = stack;
  r.origin = origin;
  return r;
}

}  // namespace

// The pair, applied together on a fake kernel: distinct veths, the
// note in the plan's text and JSON, and no change (and no note) afterwards.
TEST_F(PipelineHostChecks, ClashingVethNamesAreResolvedAndSaidInThePlan) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.containers = {container("svc1031122"), container("svc909958")};
  d.attachments = {attach("svc1031122", "n"), attach("svc909958", "n")};
  HostKernel k;
  Prepared p = prepare(d, state_, k);
  const std::string second = derive_host_veth_name("svc909958", "eth0", 1);
  ASSERT_EQ(p.diff.plan.notes.size(), 1u);
  const std::string text = format_plan_text(p.diff.plan, false);
  EXPECT_NE(text.find("Note: attachment svc909958/eth0 (network n): host veth name veth946dd9c1 is taken by the "
                      "attachment svc1031122/eth0; using " + second + " instead\n\nPlan: "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("+ link svc909958:eth0 (veth, peer " + second), std::string::npos) << text;
  const auto json = nlohmann::json::parse(format_plan_json(p.diff.plan));
  EXPECT_EQ(json.at("notes").at(0).get<std::string>(), p.diff.plan.notes[0]);
  // The saved plan carries the choice and the note.
  const Plan saved = plan_from_file(plan_to_file(p.diff.plan));
  EXPECT_EQ(saved.notes, p.diff.plan.notes);
  EXPECT_EQ(saved.allocations.at("n/svc909958/eth0").host_veth, second);

  for (const Action& a : p.diff.plan.actions) k.create(a.after());
  Prepared again = prepare(d, state_, k);
  EXPECT_TRUE(again.diff.plan.empty()) << format_plan_text(again.diff.plan, false);
  EXPECT_TRUE(again.diff.plan.notes.empty());
}

TEST_F(PipelineHostChecks, AnUnmanagedVxlanWithTheSameVniAndPortIsAConflict) {
  HostKernel k;
  k.host.foreign_vxlans = {{"vxfoo", 42, 4789, "", true}};
  k.host.foreign = {"link /vxfoo"};
  try {
    prepare(overlay_model(), state_, k);
    FAIL() << "planned over vxfoo";
  } catch (const UserError& e) {
    ASSERT_EQ(e.lines.size(), 2u) << joined(e);
    EXPECT_NE(e.lines[0].find("conflict: link vx-"), std::string::npos) << joined(e);
    EXPECT_NE(e.lines[0].find("(for network/ov): the VXLAN device vxfoo, which topo does not own, already has VNI "
                              "42 on UDP port 4789"),
              std::string::npos)
        << joined(e);
    EXPECT_EQ(e.lines[1], "nothing was changed.");
  }
  EXPECT_TRUE(k.calls.empty());
  // Another VNI, or another port, or the other family: the kernel takes it.
  for (const Observed::ForeignVxlan& v : {Observed::ForeignVxlan{"vxfoo", 43, 4789, "", true},
                                          Observed::ForeignVxlan{"vxfoo", 42, 8472, "", true},
                                          Observed::ForeignVxlan{"vxfoo", 42, 4789, "fd00::1", true}}) {
    k.host.foreign_vxlans = {v};
    EXPECT_NO_THROW(prepare(overlay_model(), state_, k)) << v.vni << " " << v.port << " " << v.local;
  }
}

TEST_F(PipelineHostChecks, AnotherStacksVxlanWithTheSameVniAndPortIsAConflict) {
  HostKernel k;
  k.host.held_resources = {link("vx-other", {{attr::type, "vxlan"}, {attr::vni, "42"}, {attr::port, "4789"}}, "blue",
                                "network/other")};
  try {
    prepare(overlay_model(), state_, k);
    FAIL() << "planned over stack blue's device";
  } catch (const UserError& e) {
    EXPECT_NE(joined(e).find("VNI 42 on UDP port 4789 is already used by vx-other of network/other in stack blue"),
              std::string::npos)
        << joined(e);
  }
}

TEST_F(PipelineHostChecks, AUdpPortHeldByAProcessIsAConflict) {
  HostKernel k;
  k.sockets = {{4, "0.0.0.0", 4789, 1000, 777}};
  try {
    prepare(overlay_model(), state_, k);
    FAIL() << "planned a VXLAN device on a bound port";
  } catch (const UserError& e) {
    EXPECT_NE(joined(e).find("UDP port 4789 is already bound by a socket that is not a VXLAN device (0.0.0.0:4789, "
                             "uid 1000, inode 777;"),
              std::string::npos)
        << joined(e);
  }
  // The socket an up VXLAN device holds is the kernel's: topo's own, or
  // another device's on the same port, which topo's shares.
  k.host.foreign_vxlans = {{"vxfoo", 7, 4789, "", true}};
  EXPECT_NO_THROW(prepare(overlay_model(), state_, k));
  k.host.foreign_vxlans = {{"vxfoo", 7, 4789, "", false}};  // down: holds no socket
  EXPECT_THROW(prepare(overlay_model(), state_, k), UserError);
  // An IPv6 socket on every address may hold the IPv4 port too: said.
  k.host.foreign_vxlans.clear();
  k.sockets = {{6, "::", 4789, 0, 778}};
  Prepared p = prepare(overlay_model(), state_, k);
  ASSERT_EQ(p.diff.plan.notes.size(), 1u);
  EXPECT_NE(p.diff.plan.notes[0].find("unless that socket is IPv6-only"), std::string::npos) << p.diff.plan.notes[0];
  // Other ports are none of topo's business.
  k.sockets = {{4, "0.0.0.0", 53, 0, 1}};
  EXPECT_NO_THROW(prepare(overlay_model(), state_, k));
}

TEST_F(PipelineHostChecks, ABridgeFullOfOtherLinksIsAConflict) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/22"));
  for (int i = 0; i < 3; ++i) {
    d.containers.push_back(container("c" + std::to_string(i)));
    d.attachments.push_back(attach("c" + std::to_string(i), "n"));
  }
  HostKernel k;
  auto& theirs = k.host.foreign_bridge_ports["br-n"];
  for (int i = 0; i < 1021; ++i) theirs.push_back("tap" + std::to_string(i));
  try {
    prepare(d, state_, k);
    FAIL() << "planned a 1024th port";
  } catch (const UserError& e) {
    EXPECT_NE(joined(e).find("conflict: bridge br-n (for network/n): 3 ports of topo's and 1021 other links already "
                             "on it (tap0, tap1, tap2, tap3, tap4, ...) make 1024, but a Linux bridge takes at most "
                             "1023"),
              std::string::npos)
        << joined(e);
  }
  theirs.pop_back();
  EXPECT_NO_THROW(prepare(d, state_, k));
}

// One parent is one L2 segment for every stack: a MAC another stack's
// macvlan holds there would make the kernel refuse this one when it comes up.
TEST_F(PipelineHostChecks, AMacvlanMacAnotherStackHoldsOnTheParentIsAConflict) {
  Desired d;
  Network lan = bridge_network("lan", "192.168.5.0/24");
  make_sub_interface(lan, Driver::Macvlan, "eth0", "bridge");
  d.networks.push_back(lan);
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "lan")};
  d.attachments[0].mac = "02:00:00:00:00:09";
  HostKernel k;
  Resource theirs = res(Kind::Link, "other", "eth0",
                        {{attr::type, "macvlan"}, {attr::parent, "eth0"}, {attr::mac, "02:00:00:00:00:09"}});
  theirs.stack = "blue";
  theirs.origin = "attachment/other/eth0";
  k.host.held_resources = {theirs};
  try {
    prepare(d, state_, k);
    FAIL() << "planned a second macvlan with one MAC on eth0";
  } catch (const UserError& e) {
    EXPECT_NE(joined(e).find("conflict: link c1:eth0 (for attachment/c1/eth0): mac 02:00:00:00:00:09 on parent eth0 "
                             "is already used by other:eth0 (attachment/other/eth0) in stack blue"),
              std::string::npos)
        << joined(e);
  }
  k.host.held_resources[0].attrs[attr::parent] = "eth1";
  EXPECT_NO_THROW(prepare(d, state_, k));
}

}  // namespace topo::testing
