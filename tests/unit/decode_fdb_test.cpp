// Decoding VXLAN devices and their forwarding entries (pure, fed by hand):
// only permanent NTF_SELF entries with a destination on a VXLAN device topo
// owns become Fdb resources.
#include <gtest/gtest.h>
#include <linux/neighbour.h>

#include "reconciler/observer/decode.hpp"

namespace topo::observer {
namespace {

LinkRecord link(int index, std::string name, std::string type, std::string alias, int master = 0) {
  LinkRecord l;
  l.index = index;
  l.name = std::move(name);
  l.type = std::move(type);
  l.alias = std::move(alias);
  l.mtu = 1450;
  l.up = true;
  l.master = master;
  return l;
}

FdbRecord fdb(int ifindex, std::string mac, std::string dst, unsigned state = NUD_PERMANENT,
              unsigned flags = NTF_SELF) {
  return FdbRecord{ifindex, std::move(mac), std::move(dst), state, flags};
}

const Resource* find(const Observed& o, const std::string& key) {
  for (const auto& r : o.owned)
    if (r.key() == key) return &r;
  return nullptr;
}

}  // namespace

TEST(DecodeFdb, OwnedVxlanDeviceAndItsStaticEntries) {
  Snapshot s;
  LinkRecord vx = link(4, "vx-1", "vxlan", "topo:network/ov", 3);
  vx.attrs = {{attr::vni, "42"}, {attr::port, "4789"}, {attr::local, "10.99.0.1"}, {attr::learning, "off"}};
  s.host.links = {link(1, "lo", "", ""), link(3, "br-ov", "bridge", "topo:network/ov"), vx,
                  link(5, "vx-other", "vxlan", "")};
  s.host.fdb = {
      fdb(4, "00:00:00:00:00:00", "10.99.0.2"),
      fdb(4, "00:00:00:00:00:00", "10.99.0.3"),          // several flooding entries, one per node
      fdb(4, "02:42:0a:32:00:15", "10.99.0.2"),
      fdb(4, "02:42:0a:32:00:16", "", NUD_PERMANENT, NTF_MASTER),  // the bridge's view of its port
      fdb(4, "02:42:0a:32:00:17", "10.99.0.2", NUD_REACHABLE),     // learned, not ours
      fdb(5, "00:00:00:00:00:00", "10.99.0.9"),          // on a device topo does not own
      fdb(3, "02:42:0a:32:00:18", "10.99.0.2"),          // not a VXLAN device
  };
  Observed o = decode(s);

  const Resource* dev = find(o, "link /vx-1");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->attr(attr::vni), "42");
  EXPECT_EQ(dev->attr(attr::port), "4789");
  EXPECT_EQ(dev->attr(attr::local), "10.99.0.1");
  EXPECT_EQ(dev->attr(attr::learning), "off");
  EXPECT_EQ(dev->attr(attr::master), "br-ov");

  std::vector<std::string> entries;
  for (const auto& r : o.owned)
    if (r.kind == Kind::Fdb) entries.push_back(r.name);
  EXPECT_EQ(entries, (std::vector<std::string>{"vx-1/00:00:00:00:00:00/10.99.0.2", "vx-1/00:00:00:00:00:00/10.99.0.3",
                                               "vx-1/02:42:0a:32:00:15/10.99.0.2"}));
  const Resource* e = find(o, "fdb /vx-1/02:42:0a:32:00:15/10.99.0.2");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->attr(attr::dev), "vx-1");
  EXPECT_EQ(e->attr(attr::mac), "02:42:0a:32:00:15");
  EXPECT_EQ(e->attr(attr::dst), "10.99.0.2");
  EXPECT_EQ(e->origin, "network/ov");
  EXPECT_TRUE(o.foreign.count("link /vx-other"));
}

}  // namespace topo::observer
