// The probe and its result survive the trip to the probe child and back.
#include <gtest/gtest.h>

#include "reconciler/verify/probe_wire.hpp"

namespace topo::verify {
namespace {

TEST(VerifyProbeWire, ProbeAndResultRoundTrip) {
  Probe p;
  p.kind = ProbeKind::Udp;
  p.netns = "/run/netns/a b";
  p.etc_dir = "/etc/netns/a";
  p.address = "fd00::2";
  p.port = 53;
  p.timeout_ms = 1500;
  auto back = probe_from_json(probe_to_json(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, ProbeKind::Udp);
  EXPECT_EQ(back->netns, p.netns);
  EXPECT_EQ(back->address, p.address);
  EXPECT_EQ(back->port, 53);
  EXPECT_EQ(back->timeout_ms, 1500);
  ProbeResult r{true, {"10.0.0.2"}, "resolved to 10.0.0.2", 3};
  auto r2 = result_from_json(result_to_json(r));
  ASSERT_TRUE(r2);
  EXPECT_TRUE(r2->reached);
  EXPECT_EQ(r2->addresses, r.addresses);
  EXPECT_EQ(r2->detail, r.detail);
}

TEST(VerifyProbeWire, GarbageIsNoProbe) {
  EXPECT_FALSE(probe_from_json("{"));
  EXPECT_FALSE(probe_from_json("{\"kind\": \"smoke\"}"));
  EXPECT_FALSE(result_from_json("[]"));
}

}  // namespace
}  // namespace topo::verify
