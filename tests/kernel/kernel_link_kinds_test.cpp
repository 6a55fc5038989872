// The link-kind table (reconciler/kernel/link_kinds/): every kind the
// providers render has an entry with the hooks the create protocol and the
// netlink Kernel call unconditionally. Pure: nothing talks to the kernel.
#include <gtest/gtest.h>

#include "reconciler/kernel/link_kinds/link_kind.hpp"

namespace topo {
namespace {

TEST(KernelLinkKinds, EveryKindTopoMakesHasAnEntryWithTheHooksThatAreAlwaysCalled) {
  for (const char* type : {"bridge", "veth", "vxlan", "macvlan", "ipvlan", "vlan"}) {
    const kops::LinkKind* kind = kops::find_link_kind(type);
    ASSERT_NE(kind, nullptr) << type;
    EXPECT_STREQ(kind->type, type);
    EXPECT_NE(kind->fill, nullptr) << type;
    EXPECT_NE(kind->clash, nullptr) << type;
    EXPECT_NE(kind->update, nullptr) << type;
    // A pair's other end needs both its name and its mark.
    EXPECT_EQ(kind->peer_name == nullptr, kind->peer_alias == nullptr) << type;
  }
}

TEST(KernelLinkKinds, KindsTopoDoesNotMakeHaveNone) {
  for (const char* type : {"", "dummy", "macsec", "Bridge"}) EXPECT_EQ(kops::find_link_kind(type), nullptr) << type;
}

TEST(KernelLinkKinds, SubInterfacesAreMadeIntoTheContainerAndCheckedBeforehand) {
  for (const char* type : {"macvlan", "ipvlan"}) {
    const kops::LinkKind* kind = kops::find_link_kind(type);
    ASSERT_NE(kind, nullptr);
    EXPECT_TRUE(kind->up_with_mark) << type;
    EXPECT_NE(kind->preflight, nullptr) << type;
    EXPECT_NE(kind->extract, nullptr) << type;
  }
}

}  // namespace
}  // namespace topo
