// Host-side veth names (ipam/veth_names.hpp). Issue 13 point 7: the name was
// a 32-bit hash of "<container>/<interface>", and svc909958/eth0 and
// svc1031122/eth0 hash alike; apply then failed with a misleading "is not
// this topo veth". Now a clash is resolved at plan time, stably, and said.
#include <gtest/gtest.h>

#include "providers/bridge/bridge_provider.hpp"
#include "providers/provider.hpp"
#include "reconciler/ipam/veth_names.hpp"
#include "tests/unit/model_builders.hpp"

namespace topo::testing {
namespace {

// The pair the issue found by brute force, in model order (sorted by name).
Desired colliding_pair() {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.containers = {container("svc1031122"), container("svc909958")};
  d.attachments = {attach("svc1031122", "n"), attach("svc909958", "n")};
  return d;
}

Resource live_veth(const std::string& container, const std::string& peer, const std::string& stack = "default") {
  Resource r;
  r.kind = Kind::Link;
  r.ns = container;
  r.name = "eth0";
  r.attrs = {{attr::type, "veth"}, {attr::peer, peer}, {attr::master, "br-n"}};
  r.origin = "attachment/" + container + "/eth0";
  r.stack = stack;
  return r;
}

std::string veth_of(const Allocations& a, const std::string& container) {
  auto it = a.find("n/" + container + "/eth0");
  return it == a.end() ? "" : it->second.host_veth;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

}  // namespace

TEST(VethNames, TheIssuesPairHashesAlike) {
  EXPECT_EQ(host_veth_name("svc909958", "eth0"), "veth946dd9c1");
  EXPECT_EQ(host_veth_name("svc1031122", "eth0"), "veth946dd9c1");
  // Further candidates must not clash alike: a common suffix would keep
  // FNV's states equal, so the candidate number is a prefix.
  EXPECT_NE(derive_host_veth_name("svc909958", "eth0", 1), derive_host_veth_name("svc1031122", "eth0", 1));
  EXPECT_EQ(derive_host_veth_name("c1", "eth0", 0), host_veth_name("c1", "eth0"));
  for (int n = 0; n < kHostVethCandidates; ++n)
    EXPECT_LE(derive_host_veth_name("a-very-long-container-name-indeed", "eth0", n).size(), 15u);
}

TEST(VethNames, ClashingAttachmentsGetDistinctNamesAndTheNoteSaysWhy) {
  const Desired d = colliding_pair();
  Allocations a;
  const VethNameResult r = assign_host_veth_names(d, {}, Observed{}, a);
  ASSERT_TRUE(r.errors.empty()) << joined(r.errors);
  EXPECT_EQ(veth_of(a, "svc1031122"), "veth946dd9c1");  // first in model order
  EXPECT_EQ(veth_of(a, "svc909958"), derive_host_veth_name("svc909958", "eth0", 1));
  ASSERT_EQ(r.notes.size(), 1u) << joined(r.notes);
  EXPECT_EQ(r.notes[0], "attachment svc909958/eth0 (network n): host veth name veth946dd9c1 is taken by the "
                        "attachment svc1031122/eth0; using " +
                            derive_host_veth_name("svc909958", "eth0", 1) + " instead");

  // Rendered: two veths with distinct host ends.
  const auto rendered = render_all(d, a).resources;
  std::set<std::string> peers;
  for (const Resource& res : rendered)
    if (res.kind == Kind::Link && res.attr(attr::type) == "veth") peers.insert(res.attr(attr::peer));
  EXPECT_EQ(peers.size(), 2u);
}

// An existing pair keeps its name: the one added later gives way, whichever
// sorts first.
TEST(VethNames, ALivePairKeepsItsName) {
  const Desired d = colliding_pair();
  Observed o;
  o.owned = {live_veth("svc909958", "veth946dd9c1")};
  Allocations a;
  const VethNameResult r = assign_host_veth_names(d, {}, o, a);
  EXPECT_EQ(veth_of(a, "svc909958"), "veth946dd9c1");
  EXPECT_EQ(veth_of(a, "svc1031122"), derive_host_veth_name("svc1031122", "eth0", 1));
  ASSERT_EQ(r.notes.size(), 1u) << joined(r.notes);
  EXPECT_NE(r.notes[0].find("attachment svc1031122/eth0 (network n): host veth name veth946dd9c1 is taken by the "
                            "host end of svc909958/eth0's veth; using "),
            std::string::npos)
      << r.notes[0];
}

// After the apply both pairs are live: the same names, and nothing to say.
TEST(VethNames, ChosenNamesAreStableOnceMade) {
  const Desired d = colliding_pair();
  Allocations first;
  assign_host_veth_names(d, {}, Observed{}, first);
  Observed o;
  o.owned = {live_veth("svc1031122", veth_of(first, "svc1031122")),
             live_veth("svc909958", veth_of(first, "svc909958"))};
  Allocations again;
  const VethNameResult r = assign_host_veth_names(d, {}, o, again);
  EXPECT_TRUE(r.notes.empty()) << joined(r.notes);
  EXPECT_EQ(veth_of(again, "svc1031122"), veth_of(first, "svc1031122"));
  EXPECT_EQ(veth_of(again, "svc909958"), veth_of(first, "svc909958"));
}

// A pair deleted by hand is made again under the name the state remembers,
// even when its first candidate is free again.
TEST(VethNames, TheRememberedNameIsKept) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "n")};
  Allocations remembered;
  remembered["n/c1/eth0"].host_veth = derive_host_veth_name("c1", "eth0", 2);
  Allocations a;
  const VethNameResult r = assign_host_veth_names(d, remembered, Observed{}, a);
  EXPECT_EQ(veth_of(a, "c1"), derive_host_veth_name("c1", "eth0", 2));
  EXPECT_TRUE(r.notes.empty()) << joined(r.notes);
  // A remembered name that topo would never derive for it is not trusted.
  remembered["n/c1/eth0"].host_veth = "eth0";
  assign_host_veth_names(d, remembered, Observed{}, a);
  EXPECT_EQ(veth_of(a, "c1"), host_veth_name("c1", "eth0"));
}

// A host link topo does not own, another stack's veth, or any other link of
// the host namespace holding the first candidate: the next one is used.
TEST(VethNames, NamesHeldOnTheHostAreNotTaken) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "n")};
  const std::string first = host_veth_name("c1", "eth0"), second = derive_host_veth_name("c1", "eth0", 1);

  struct Case {
    const char* what;
    Observed observed;
  };
  std::vector<Case> cases(3);
  cases[0].what = "a link topo does not own";
  cases[0].observed.foreign = {"link /" + first};
  cases[1].what = "the host end of other/eth0's veth of stack blue";
  cases[1].observed.held_resources = {live_veth("other", first, "blue")};
  cases[2].what = "an existing link of the host namespace";
  cases[2].observed.host_links = {first};
  for (const Case& c : cases) {
    Allocations a;
    const VethNameResult r = assign_host_veth_names(d, {}, c.observed, a);
    EXPECT_EQ(veth_of(a, "c1"), second) << c.what;
    ASSERT_EQ(r.notes.size(), 1u) << c.what;
    EXPECT_EQ(r.notes[0], "attachment c1/eth0 (network n): host veth name " + first + " is taken by " + c.what +
                              "; using " + second + " instead");
  }
}

// A pair renamed by hand has a name topo would not choose: drift, made anew.
TEST(VethNames, AHandRenamedPairGetsItsNameBack) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "n")};
  Observed o;
  o.owned = {live_veth("c1", "mine")};
  o.host_links = {"mine"};
  Allocations a;
  const VethNameResult r = assign_host_veth_names(d, {}, o, a);
  EXPECT_EQ(veth_of(a, "c1"), host_veth_name("c1", "eth0"));
  EXPECT_TRUE(r.notes.empty()) << joined(r.notes);
}

// A bridge the manifests name like a veth is a name held too.
TEST(VethNames, ABridgeOfThePlanHoldsItsName) {
  Desired d;
  d.networks.push_back(bridge_network("n", "172.10.0.0/24"));
  d.networks.push_back(bridge_network("m", "172.11.0.0/24"));
  settings_of<BridgeSettings>(d.networks.back()).bridge = host_veth_name("c1", "eth0");
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "n")};
  Allocations a;
  const VethNameResult r = assign_host_veth_names(d, {}, Observed{}, a);
  EXPECT_EQ(veth_of(a, "c1"), derive_host_veth_name("c1", "eth0", 1));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("is taken by the bridge of network m"), std::string::npos) << r.notes[0];
}

// macvlan attachments have no veth, so no name.
TEST(VethNames, OnlyBridgeAndOverlayAttachmentsGetOne) {
  Desired d;
  Network mv = bridge_network("lan", "192.168.5.0/24");
  make_sub_interface(mv, Driver::Macvlan, "eth0", "");
  d.networks.push_back(mv);
  d.containers = {container("c1")};
  d.attachments = {attach("c1", "lan")};
  Allocations a;
  assign_host_veth_names(d, {}, Observed{}, a);
  EXPECT_TRUE(a.empty() || a.begin()->second.host_veth.empty());
}

}  // namespace topo::testing
