#include "reconciler/planner/diff.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "reconciler/resources/mode_attrs.hpp"

namespace topo {

namespace {

Resource link(const std::string& ns, const std::string& name, std::map<std::string, std::string> attrs) {
  Resource r;
  r.kind = Kind::Link;
  r.ns = ns;
  r.name = name;
  r.attrs = std::move(attrs);
  r.origin = "test";
  return r;
}

Resource ns(const std::string& name) {
  Resource r;
  r.kind = Kind::Namespace;
  r.name = name;
  r.attrs = {{attr::lo, "up"}};
  return r;
}

Resource addr(const std::string& n, const std::string& dev, const std::string& cidr) {
  Resource r;
  r.kind = Kind::Address;
  r.ns = n;
  r.name = dev + "/" + cidr;
  r.attrs = {{attr::dev, dev}, {attr::address, cidr}};
  return r;
}

std::vector<std::string> keys(const Plan& p) {
  std::vector<std::string> out;
  for (const auto& a : p.actions) out.push_back(to_string(a.type) + " " + a.subject().key());
  return out;
}

}  // namespace

TEST(Diff, EqualStatesGiveAnEmptyPlan) {
  std::vector<Resource> desired = {ns("a"), link("", "br0", {{"type", "bridge"}, {"mtu", "1500"}})};
  Observed o;
  o.owned = desired;
  o.owned[1].attrs["mac"] = "02:00:00:00:00:01";  // the kernel says more than was asked
  auto d = make_plan(desired, o);
  EXPECT_TRUE(d.plan.empty());
  EXPECT_TRUE(d.conflicts.empty());
}

TEST(Diff, DeletesComeFirstInReverseOrderThenCreatesInDependencyOrder) {
  std::vector<Resource> desired = {addr("b", "eth0", "10.0.0.3/24"), link("b", "eth0", {{"type", "veth"}}), ns("b"),
                                   link("", "br0", {{"type", "bridge"}})};
  Observed o;
  o.owned = {ns("a"), link("a", "eth0", {{"type", "veth"}}), addr("a", "eth0", "10.0.0.2/24"),
             link("", "br0", {{"type", "bridge"}})};
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{
                              "delete address a/eth0/10.0.0.2/24",
                              "delete link a/eth0",
                              "delete namespace /a",
                              "create namespace /b",
                              "create link b/eth0",
                              "create address b/eth0/10.0.0.3/24",
                          }));
  EXPECT_EQ(d.plan.to_add(), 3);
  EXPECT_EQ(d.plan.to_destroy(), 3);
}

TEST(Diff, InPlaceChangeIsAnUpdateWithOldAndNew) {
  std::vector<Resource> desired = {link("", "br0", {{"type", "bridge"}, {"mtu", "9000"}})};
  Observed o;
  o.owned = {link("", "br0", {{"type", "bridge"}, {"mtu", "1500"}})};
  auto d = make_plan(desired, o);
  ASSERT_EQ(d.plan.actions.size(), 1u);
  EXPECT_EQ(d.plan.actions[0].type, ActionType::Update);
  ASSERT_EQ(d.plan.actions[0].changes.size(), 1u);
  EXPECT_EQ(d.plan.actions[0].changes[0].field, "mtu");
  EXPECT_EQ(d.plan.actions[0].changes[0].from, "1500");
  EXPECT_EQ(d.plan.actions[0].changes[0].to, "9000");
  EXPECT_EQ(d.plan.to_change(), 1);
}

TEST(Diff, ChangeOfACreateOnlyFieldIsAReplacementThatRemakesItsAddresses) {
  auto want = link("c", "eth0", {{"type", "veth"}, {"peer", "vethNEW"}});
  want.replace_on = {"type", "peer"};
  std::vector<Resource> desired = {want, addr("c", "eth0", "10.0.0.2/24")};
  Observed o;
  o.owned = {link("c", "eth0", {{"type", "veth"}, {"peer", "vethOLD"}}), addr("c", "eth0", "10.0.0.2/24")};
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"replace link c/eth0", "create address c/eth0/10.0.0.2/24"}));
  EXPECT_EQ(d.plan.actions[0].forced_by, "peer");
}

// A link made anew has the kernel's defaults (accept_ra=1): the settings
// topo keeps on it are written again even though they read fine before.
TEST(Diff, ARemadeLinkGetsItsSysctlsWrittenAgain) {
  auto want = link("c", "eth0", {{"type", "veth"}, {"peer", "vethNEW"}});
  want.replace_on = {"type", "peer"};
  Resource ra;
  ra.kind = Kind::Sysctl;
  ra.name = "net.ipv6.conf.vethNEW.accept_ra";
  ra.attrs = {{attr::value, "0"}, {attr::link, "c/eth0"}};
  Resource other = ra;  // on a link that stays
  other.name = "net.ipv6.conf.br0.accept_ra";
  other.attrs[attr::link] = "/br0";
  std::vector<Resource> desired = {want, ra, other};
  Observed o;
  o.owned = {link("c", "eth0", {{"type", "veth"}, {"peer", "vethOLD"}}), ra, other};
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"replace link c/eth0", "create sysctl /net.ipv6.conf.vethNEW.accept_ra"}));
}

TEST(Diff, ANewAddressRemakesTheRoutesTheKernelFlushesWithTheOldOne) {
  Resource route;
  route.kind = Kind::Route;
  route.ns = "c";
  route.name = "default";
  route.attrs = {{attr::dev, "eth0"}, {attr::via, "10.0.0.1"}};
  Resource other = route;  // on another link: untouched
  other.name = "10.9.0.0/16";
  other.attrs[attr::dev] = "eth1";
  std::vector<Resource> desired = {addr("c", "eth0", "10.0.0.9/24"), route, other};
  Observed o;
  o.owned = {addr("c", "eth0", "10.0.0.2/24"), route, other};
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"delete address c/eth0/10.0.0.2/24",
                                                    "create address c/eth0/10.0.0.9/24", "create route c/default"}));
}

TEST(Diff, ANameTakenBySomethingForeignIsAConflictNotATakeover) {
  std::vector<Resource> desired = {link("", "br0", {{"type", "bridge"}})};
  Observed o;
  o.foreign = {desired[0].key()};
  auto d = make_plan(desired, o);
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_NE(d.conflicts[0].find("not managed by topo"), std::string::npos);
  EXPECT_TRUE(d.plan.empty());
}

TEST(Diff, CompareReportsOkDriftMissingExtra) {
  std::vector<Resource> desired = {ns("a"), ns("b"), link("", "br0", {{"mtu", "9000"}})};
  Observed o;
  o.owned = {ns("a"), ns("z"), link("", "br0", {{"mtu", "1500"}})};
  auto s = compare(desired, o);
  std::vector<std::string> got;
  for (const auto& x : s) got.push_back(to_string(x.state));
  EXPECT_EQ(got, (std::vector<std::string>{"ok", "missing", "extra", "drift"}));
}

TEST(Diff, DigestChangesWithTheObservedState) {
  Observed a, b;
  a.owned = {ns("a")};
  b.owned = {ns("a")};
  EXPECT_EQ(digest(a), digest(b));
  b.owned[0].attrs[attr::lo] = "down";
  EXPECT_NE(digest(a), digest(b));
}

// A link the observer found unmarked in topo's own namespace (killed between
// create and mark): equal in every attribute, it is still made anew, so that
// it ends up marked; its address on the old link is made again too.
TEST(Diff, AnUnmarkedLinkInTopoNamespaceIsReplacedEvenWhenItsAttributesMatch) {
  Resource eth0 = link("c", "eth0", {{"type", "veth"}, {"mtu", "1500"}});
  std::vector<Resource> desired = {ns("c"), eth0, addr("c", "eth0", "10.0.0.2/24")};
  Observed o;
  o.owned = desired;
  o.owned[1].attrs[attr::mark] = attr::mark_missing;
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"replace link c/eth0", "create address c/eth0/10.0.0.2/24"}));
  ASSERT_FALSE(d.plan.actions.empty());
  EXPECT_EQ(d.plan.actions[0].forced_by, attr::mark);
}

TEST(Diff, AnUnmarkedLinkNobodyWantsIsDeleted) {
  std::vector<Resource> desired = {ns("c")};
  Observed o;
  o.owned = {ns("c"), link("c", "eth9", {{"type", "veth"}, {attr::mark, attr::mark_missing}})};
  auto d = make_plan(desired, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"delete link c/eth9"}));
}

// A container: entry binds the namespace its target had when it was bound:
// when the target's entry is made anew (here: it turns into an adopted one),
// the joiner is bound again, after it.
TEST(Diff, AJoinerIsBoundAgainWhenItsTargetIsMadeAnew) {
  Resource web = ns("web"), side = ns("side");
  side.attrs = {{attr::mode, "container:web"}};
  Observed o;
  o.owned = {web, side};
  Resource adopted = web;
  adopted.attrs = {{attr::mode, "adopted:/proc/1/ns/net"}};
  const std::vector<Resource> wanted{adopted, side};
  auto d = make_plan(wanted, o);
  EXPECT_EQ(keys(d.plan), (std::vector<std::string>{"update namespace /web", "replace namespace /side"}));
  // Nothing happens to it when the target only changes in place.
  Resource lo_down = web;
  lo_down.attrs[attr::lo] = "down";
  const std::vector<Resource> wanted_lo_down{lo_down, side};
  EXPECT_EQ(keys(make_plan(wanted_lo_down, o).plan), (std::vector<std::string>{"update namespace /web"}));
}

}  // namespace topo

namespace topo {
namespace {

// A stray address added by hand next to topo's: removing it flushes no
// route (the link keeps topo's address), so plan and diff agree that the
// route is fine.
TEST(Diff, RemovingAStrayAddressBesideAKeptOneRemakesNoRoute) {
  Resource lnk;
  lnk.kind = Kind::Link;
  lnk.ns = "c1";
  lnk.name = "eth0";
  lnk.attrs = {{attr::type, "veth"}};
  Resource mine;
  mine.kind = Kind::Address;
  mine.ns = "c1";
  mine.name = "eth0/172.10.0.2/24";
  mine.attrs = {{attr::dev, "eth0"}, {attr::address, "172.10.0.2/24"}};
  Resource stray = mine;
  stray.name = "eth0/10.9.9.9/24";
  stray.attrs[attr::address] = "10.9.9.9/24";
  Resource route;
  route.kind = Kind::Route;
  route.ns = "c1";
  route.name = "default";
  route.attrs = {{attr::dev, "eth0"}, {attr::via, "172.10.0.1"}};
  Observed o;
  o.owned = {lnk, mine, stray, route};
  const std::vector<Resource> wanted{lnk, mine, route};
  DiffResult d = make_plan(wanted, o);
  ASSERT_EQ(d.plan.actions.size(), 1u);
  EXPECT_EQ(d.plan.actions[0].type, ActionType::Delete);
  EXPECT_EQ(d.plan.actions[0].before().name, "eth0/10.9.9.9/24");
  // Without a kept address the route is made again, as before.
  o.owned = {lnk, stray, route};
  Resource moved = mine;
  const std::vector<Resource> wanted_moved{lnk, moved, route};
  EXPECT_EQ(make_plan(wanted_moved, o).plan.actions.size(), 3u);
}

// A cold apply of 10 000 containers plans some 120 000 creates: each action
// points at its desired resource instead of holding a copy (plan.hpp), and
// copies what was observed, which dies with its read.
TEST(Diff, ActionsPointAtTheDesiredResourcesAndCopyTheObservedOnes) {
  Resource kept = ns("kept"), changed = ns("changed"), made = ns("made");
  changed.attrs[attr::lo] = "down";
  Observed o;
  o.owned = {kept, ns("changed"), ns("gone")};
  const std::vector<Resource> wanted{kept, changed, made};
  const DiffResult d = make_plan(wanted, o);
  ASSERT_EQ(keys(d.plan), (std::vector<std::string>{"delete namespace /gone", "update namespace /changed",
                                                    "create namespace /made"}));
  EXPECT_EQ(&d.plan.actions[1].after(), &wanted[1]);
  EXPECT_EQ(&d.plan.actions[2].after(), &wanted[2]);
  EXPECT_NE(&d.plan.actions[0].before(), &o.owned[2]);
  EXPECT_EQ(d.plan.actions[0].before(), o.owned[2]);
  EXPECT_NE(&d.plan.actions[1].before(), &o.owned[1]);
  // What an action does not have is an empty resource, not a dangling one.
  EXPECT_EQ(d.plan.actions[2].before(), Resource{});
  EXPECT_EQ(d.plan.actions[0].after(), Resource{});
}

}  // namespace
}  // namespace topo

namespace topo {
namespace {

// What the comparison said before it matched by sorting (hash tables):
// desired objects in order, a repeated identity skipped (the first counts);
// of observed objects with one identity the last is compared; observed
// objects no desired one has are extra, in their order.
std::vector<std::string> reference_statuses(const std::vector<Resource>& desired, const Observed& observed) {
  auto same = [](const Resource& a, const Resource& b) { return a.kind == b.kind && a.ns == b.ns && a.name == b.name; };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < desired.size(); ++i) {
    bool repeated = false;
    for (std::size_t k = 0; k < i; ++k) repeated |= same(desired[k], desired[i]);
    if (repeated) continue;
    const Resource* live = nullptr;
    for (const auto& o : observed.owned)
      if (same(o, desired[i])) live = &o;
    std::string line = desired[i].key() + " desired=" + desired[i].attr("v");
    line += live ? " observed=" + live->attr("v") : " missing";
    out.push_back(line);
  }
  for (const auto& o : observed.owned) {
    bool wanted = false;
    for (const auto& d : desired) wanted |= same(d, o);
    if (!wanted) out.push_back(o.key() + " extra observed=" + o.attr("v"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> statuses(const std::vector<Resource>& desired, const Observed& observed) {
  std::vector<std::string> out;
  for (const ObjectStatus& s : compare(desired, observed)) {
    if (s.state == ObjectState::Extra) {
      out.push_back(s.observed.key() + " extra observed=" + s.observed.attr("v"));
      continue;
    }
    std::string line = s.desired.key() + " desired=" + s.desired.attr("v");
    line += s.state == ObjectState::Missing ? " missing" : " observed=" + s.observed.attr("v");
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Diff, RepeatedIdentitiesAreMatchedAsBefore) {
  // Repeated on both sides, and identities alike but for one part (kind,
  // namespace or name), in several orders: matched as the reference does.
  const std::vector<std::string> names = {"a", "b", "ab", "ba", "eth0"};
  for (unsigned seed = 1; seed <= 40; ++seed) {
    unsigned x = seed;
    auto next = [&x](unsigned n) { return (x = x * 1103515245u + 12345u) / 65536u % n; };
    auto random_resource = [&](const std::string& v) {
      Resource r;
      r.kind = next(2) ? Kind::Link : Kind::Address;
      r.ns = names[next(3)];
      r.name = names[next(names.size())];
      r.attrs = {{"v", v}};
      return r;
    };
    std::vector<Resource> desired;
    Observed o;
    for (unsigned i = 0, n = next(30); i < n; ++i) desired.push_back(random_resource("d" + std::to_string(i)));
    for (unsigned i = 0, n = next(30); i < n; ++i) o.owned.push_back(random_resource("o" + std::to_string(i)));
    EXPECT_EQ(statuses(desired, o), reference_statuses(desired, o)) << "seed " << seed;
  }
}

// Issue 16: from a few thousand objects on each side, the observed side is
// sorted on a thread of its own; the statuses are the reference's still.
TEST(Diff, ThousandsOfObjectsSortedOnTwoThreadsAreMatchedAsBefore) {
  unsigned x = 7;
  auto next = [&x](unsigned n) { return (x = x * 1103515245u + 12345u) / 65536u % n; };
  auto random_resource = [&](const std::string& v) {
    Resource r;
    r.kind = next(2) ? Kind::Link : Kind::Address;
    r.ns = "c" + std::to_string(next(300));
    r.name = "eth" + std::to_string(next(20));  // 12 000 identities for 5000 objects: some repeat
    r.attrs = {{"v", v}};
    return r;
  };
  std::vector<Resource> desired;
  Observed o;
  for (unsigned i = 0; i < 5000; ++i) desired.push_back(random_resource(std::to_string(next(3))));
  for (unsigned i = 0; i < 5000; ++i) o.owned.push_back(random_resource(std::to_string(next(3))));
  const auto got = statuses(desired, o);
  EXPECT_EQ(got, reference_statuses(desired, o));
  EXPECT_GT(got.size(), 5000u) << "some missing and some extra, as the input was made for";
}

TEST(Diff, TheFirstOfTwoDesiredAndTheLastOfTwoObservedCount) {
  std::vector<Resource> desired = {link("", "br0", {{"mtu", "1400"}}), link("", "br0", {{"mtu", "9000"}})};
  Observed o;
  o.owned = {link("", "br0", {{"mtu", "1500"}}), link("", "br0", {{"mtu", "1400"}})};
  const std::vector<ObjectStatus> s = compare(desired, o);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].state, ObjectState::Ok) << "the first desired (1400) against the last observed (1400)";
  auto d = make_plan(desired, o);
  EXPECT_TRUE(d.plan.empty()) << keys(d.plan).size();
}

}  // namespace topo
