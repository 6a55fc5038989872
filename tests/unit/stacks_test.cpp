// Stacks: how they are written into marks, how a run is scoped to its
// stacks, the conflicts with other stacks, and the `stack:` manifest key.
#include <gtest/gtest.h>

#include "reconciler/planner/diff.hpp"
#include "reconciler/resources/stack_marks.hpp"
#include "reconciler/resources/stacks.hpp"
#include "tests/unit/loader_test_util.hpp"
#include "tests/unit/owned_plan.hpp"

namespace topo {
namespace {

Resource res(Kind k, const std::string& ns, const std::string& name, const std::string& stack) {
  Resource r;
  r.kind = k;
  r.ns = ns;
  r.name = name;
  r.stack = stack;
  r.origin = "network/" + name;
  return r;
}

TEST(StackMarks, DefaultStackIsSpelledAsBeforeStacks) {
  Resource r = res(Kind::Link, "", "br-a", "default");
  r.origin = "network/a";
  EXPECT_EQ(ownership::link_mark(r), "topo:network/a");
  r.stack = "shop";
  EXPECT_EQ(ownership::link_mark(r), "topo:shop:network/a");
  EXPECT_EQ(ownership::namespace_mark("c1", "default"), "topo-ns:c1");
  EXPECT_EQ(ownership::namespace_mark("c1", "shop"), "topo-ns:shop:c1");
}

TEST(StackMarks, SplitReadsBothSpellings) {
  auto old = ownership::split_stack("attachment/c1/eth0");
  EXPECT_EQ(old.stack, "default");
  EXPECT_EQ(old.rest, "attachment/c1/eth0");
  auto tagged = ownership::split_stack("shop.v2:attachment/c1/eth0");
  EXPECT_EQ(tagged.stack, "shop.v2");
  EXPECT_EQ(tagged.rest, "attachment/c1/eth0");
  EXPECT_EQ(ownership::split_stack("c1").stack, "default");
  EXPECT_EQ(ownership::split_stack("shop:c1").rest, "c1");
}

TEST(Stacks, ScopeHoldsOtherStacksApartAndKeepsSharedObjects) {
  Observed o;
  o.owned = {res(Kind::Link, "", "br-a", "a"), res(Kind::Link, "", "br-b", "b"),
             res(Kind::Firewall, "", "table inet topo", "")};
  scope_to_stacks(o, {"a"});
  ASSERT_EQ(o.owned.size(), 2u);
  EXPECT_EQ(o.owned[0].name, "br-a");
  EXPECT_EQ(o.held.at("link /br-b"), "b");
  EXPECT_TRUE(o.keep.count(o.owned[1].key())) << "b still needs the table";
  EXPECT_EQ(observed_stacks(o), (std::set<std::string>{"a", "b"}));
}

TEST(Stacks, SharedObjectsGoWithTheLastStack) {
  Observed o;
  o.owned = {res(Kind::Link, "", "br-a", "a"), res(Kind::Firewall, "", "table inet topo", "")};
  scope_to_stacks(o, {"a"});
  EXPECT_TRUE(o.keep.empty());
  DiffResult d = testing::make_owned_plan({}, o);
  EXPECT_EQ(d.plan.actions.size(), 2u) << "the table goes with the last stack";
}

TEST(Stacks, FilesAndSettingsInheritTheirNamespacesStack) {
  std::vector<Resource> rs{res(Kind::Namespace, "", "c1", "shop"), res(Kind::File, "c1", "hosts", "")};
  inherit_namespace_stacks(rs);
  EXPECT_EQ(rs[1].stack, "shop");
}

TEST(Stacks, ADesiredNameHeldByAnotherStackIsAConflictNamingIt) {
  Observed o;
  o.owned = {res(Kind::Link, "", "br-web", "shop"), res(Kind::Firewall, "", "table inet topo", "")};
  scope_to_stacks(o, {"blog"});
  Resource want = res(Kind::Link, "", "br-web", "blog");
  DiffResult d = testing::make_owned_plan({want}, o);
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_NE(d.conflicts[0].find("held by stack shop"), std::string::npos) << d.conflicts[0];
  EXPECT_NE(d.conflicts[0].find("topo destroy --stack shop"), std::string::npos) << d.conflicts[0];
  // Nothing of the other stack is deleted, nor the shared table.
  DiffResult none = testing::make_owned_plan({}, o);
  EXPECT_TRUE(none.plan.actions.empty());
}

TEST(Stacks, DigestDoesNotDependOnTheScope) {
  Observed all;
  all.owned = {res(Kind::Link, "", "br-a", "a"), res(Kind::Link, "", "br-b", "b")};
  Observed scoped = all;
  scope_to_stacks(scoped, {"a"});
  EXPECT_EQ(digest(all), digest(scoped));
}

}  // namespace

namespace testing {
namespace {

TEST_F(LoaderTest, ObjectsTakeTheStackOfTheirDocument) {
  write("a.yaml", "stack: shop\nnetworks:\n  - {name: n, subnet: 10.0.0.0/24}\ncontainers:\n  - name: c\n"
                  "attachments:\n  - {container: c, network: n}\n---\ncontainers:\n  - name: d\n");
  LoadResult r = load({"a.yaml"});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.network("n")->stack, "shop");
  EXPECT_EQ(r.desired.container("c")->stack, "shop");
  EXPECT_EQ(r.desired.attachments.at(0).stack, "shop");
  EXPECT_EQ(r.desired.container("d")->stack, "default") << "a document without stack: is in the default stack";
}

TEST_F(LoaderTest, TheStackFlagIsTheDefaultOfDocumentsWithoutOne) {
  write("a.yaml", "containers:\n  - name: c\n---\nstack: other\ncontainers:\n  - name: d\n");
  LoadOptions options;
  options.default_stack = "flagged";
  LoadResult r = load_manifests({path("a.yaml")}, options);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.desired.container("c")->stack, "flagged");
  EXPECT_EQ(r.desired.container("d")->stack, "other");
}

TEST_F(LoaderTest, ReferencesAcrossStacksAreErrors) {
  write("a.yaml", "stack: one\nnetworks:\n  - {name: n, subnet: 10.0.0.0/24}\ncontainers:\n  - name: c\n");
  write("b.yaml", "stack: two\ncontainers:\n  - name: d\n    links: [c]\n  - name: j\n    network_mode: container:c\n"
                  "attachments:\n  - {container: d, network: n}\n  - {container: c, network: n}\n");
  LoadResult r = load({"a.yaml", "b.yaml"});
  expect_error(r, "b.yaml:8:29", "network \"n\" is in stack \"one\"");
  expect_error(r, "b.yaml:9:17", "container \"c\" is in stack \"one\"; an attachment belongs to its container's stack");
  expect_error(r, "b.yaml:4:13", "links to container \"c\" is in stack \"one\"");
  expect_error(r, "b.yaml:6:19", "joins container \"c\" is in stack \"one\"");
}

TEST_F(LoaderTest, AStackNameIsANameOrAnError) {
  LoadResult r = load_text("stack: \"bad/name\"\ncontainers:\n  - name: c\n");
  ASSERT_FALSE(r.ok());
  expect_error(r, "a.yaml:1:8", "stack");
}

}  // namespace
}  // namespace testing
}  // namespace topo
