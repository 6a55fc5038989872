// Issue 13 point 4: isolation was one rule per pair of networks, O(N²) in
// the forward hook every routed packet crosses (200 networks: 39 800 rules,
// 80 MB for a no-op plan; 4000: std::bad_alloc). It is now two rules per
// isolated network. 1000 networks are applied here and the README's memory
// bound for a no-op plan is held; times are the benchmark's business
// (bench/isolation.sh, README "Performance").
#include <fstream>
#include <iostream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

constexpr int kNetworks = 1000;
// README "Performance": a no-op plan over 1000 isolated networks stays below this.
constexpr long kPlanPeakKiB = 96 * 1024;

std::string manifest() {
  std::string y = "version: 1\nstack: scale\nnetworks:\n";
  for (int i = 0; i < kNetworks; ++i)
    y += "  - {name: n" + std::to_string(i) + ", subnet: 10." + std::to_string(100 + i / 256) + "." +
         std::to_string(i % 256) + ".0/24}\n";
  y += "containers:\n  - name: s0\n  - name: s1\n  - name: s2\n";
  y += "attachments:\n  - {container: s0, network: n0}\n  - {container: s1, network: n999}\n"
       "  - {container: s2, network: n0}\n";
  return y;
}

TEST(E2EIsolationScale, AThousandIsolatedNetworksCostTwoRulesEach) {
  ASSERT_EQ(sandbox_problem(), "");
  ManifestDir dir;
  const std::string path = dir.write("m.yaml", manifest());
  CmdResult a = topo({"apply", path});
  ASSERT_EQ(a.exit_code, 0) << a.describe();

  CmdResult chain = sh("nft list chain inet topo forward | grep -c 'comment \"topo|[0-9]*/[0-9]*|isolate '");
  EXPECT_EQ(chain.out, std::to_string(2 * kNetworks) + "\n") << chain.describe();
  CmdResult all = sh("nft list table inet topo | grep -c 'comment \"topo|'");
  // Per network: masquerade, two isolation drops; plus the table's few rules.
  EXPECT_LE(std::stol(all.out), 3L * kNetworks + 10) << all.describe();

  // Isolation still holds at that size, and a network still talks inside.
  const std::string s1 = ipv4_of("s1", "eth0"), s2 = ipv4_of("s2", "eth0");
  EXPECT_FALSE(sh("ip netns exec s0 ping -c1 -W1 " + s1 + " >/dev/null 2>&1").exit_code == 0)
      << "n0 reached n999";
  EXPECT_TRUE(ping("s0", s2));

  const std::string rss = dir.path() + "/rss";
  CmdResult p = sh("/usr/bin/time -f %M -o " + rss + " " + TOPO_BINARY + " plan " + path);
  ASSERT_EQ(p.exit_code, 0) << p.describe();
  EXPECT_EQ(last_line(p.out), "No changes.") << p.describe();
  std::ifstream in(rss);
  long kib = 0;
  in >> kib;
  EXPECT_GT(kib, 0);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's shadow memory and quarantine triple the figure: it is
  // not the product's. The bound is held by the plain build (scripts/test.sh).
  std::cerr << "NOT CHECKED HERE: the no-op plan's peak memory under AddressSanitizer (" << kib / 1024
            << " MiB) says nothing of topo's; scripts/test.sh holds the " << kPlanPeakKiB / 1024 << " MiB bound\n";
#else
  EXPECT_LT(kib, kPlanPeakKiB) << "a no-op plan over " << kNetworks << " networks took " << kib / 1024 << " MiB";
#endif

  CmdResult d = topo({"destroy", path, "--auto-approve"});
  EXPECT_EQ(d.exit_code, 0) << d.describe();
}

}  // namespace
}  // namespace topo::e2e
