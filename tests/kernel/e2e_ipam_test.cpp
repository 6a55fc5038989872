// Done-when 6: allocated addresses do not move across re-applies, added
// containers, or a deleted state dir.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

// Containers named in `names`, all on one network with allocated addresses
// from the range NET.16/28 of NET.0/24.
std::string manifest(const std::vector<std::string>& names, const std::string& network = "ipam",
                     const std::string& net = "10.51.0") {
  std::string y = "version: 1\nnetworks:\n  - name: " + network + "\n    subnet: " + net + ".0/24\n" +
                  "    ip_range: " + net + ".16/28\ncontainers:\n";
  for (const auto& n : names) y += "  - name: " + n + "\n";
  y += "attachments:\n";
  for (const auto& n : names) y += "  - container: " + n + "\n    network: " + network + "\n";
  return y;
}

std::map<std::string, std::string> addresses(const std::vector<std::string>& names) {
  std::map<std::string, std::string> m;
  for (const auto& n : names) m[n] = ipv4_of(n, "eth0");
  return m;
}

std::string dump(const std::map<std::string, std::string>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += k + "=" + v + " ";
  return s;
}

void expect_kept(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& now,
                 const std::string& when) {
  for (const auto& [name, addr] : before)
    EXPECT_EQ(now.at(name), addr) << name << "'s address moved " << when << "\nbefore: " << dump(before)
                                  << "\nnow: " << dump(now);
}

void expect_valid(const std::map<std::string, std::string>& m, const std::string& net = "10.51.0") {
  std::set<std::string> seen;
  for (const auto& [name, addr] : m) {
    ASSERT_FALSE(addr.empty()) << name << " has no address";
    // Inside ip_range NET.16/28: .16 to .31.
    int last = std::atoi(addr.substr(addr.rfind('.') + 1).c_str());
    EXPECT_EQ(addr.rfind(net + ".", 0), 0u) << name << "=" << addr;
    EXPECT_TRUE(last >= 16 && last <= 31) << name << "=" << addr << " is outside ip_range";
    EXPECT_TRUE(seen.insert(addr).second) << "address " << addr << " given twice: " << dump(m);
  }
}

TEST_F(E2ETest, AllocatedAddressesStayPut) {
  std::vector<std::string> first{"ipm2", "ipm4", "ipm6"};
  dir_.write("ipam.yaml", manifest(first));
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto original = addresses(first);
  expect_valid(original);

  CmdResult re = apply();
  ASSERT_EQ(re.exit_code, 0) << re.describe();
  expect_kept(original, addresses(first), "across a re-apply");

  // Names sorting before and between the existing ones must not push them around.
  std::vector<std::string> more{"ipm1", "ipm2", "ipm3", "ipm4", "ipm5", "ipm6"};
  dir_.write("ipam.yaml", manifest(more));
  CmdResult grow = apply();
  ASSERT_EQ(grow.exit_code, 0) << grow.describe();
  auto grown = addresses(more);
  expect_valid(grown);
  expect_kept(original, grown, "when containers were added");

  // Losing the state dir: the addresses are read back from the kernel.
  const char* state = std::getenv("TOPO_STATE_DIR");
  ASSERT_NE(state, nullptr);
  for (const auto& entry : std::filesystem::directory_iterator(state)) std::filesystem::remove_all(entry.path());
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "with the state dir gone, the plan wants to change things\n" << p.describe();
  CmdResult lost = apply();
  ASSERT_EQ(lost.exit_code, 0) << lost.describe();
  expect_kept(grown, addresses(more), "after the state dir was deleted");

  // And a container added after that gets a free address, not a taken one.
  more.push_back("ipm0");
  dir_.write("ipam.yaml", manifest(more));
  CmdResult last = apply();
  ASSERT_EQ(last.exit_code, 0) << last.describe();
  auto final_addrs = addresses(more);
  expect_valid(final_addrs);
  expect_kept(grown, final_addrs, "when a container was added after the state dir was lost");
}

TEST_F(E2ETest, RemovedContainersAddressIsNotGivenToAnExistingOne) {
  std::vector<std::string> three{"ipr1", "ipr2", "ipr3"};
  dir_.write("ipam.yaml", manifest(three, "ipamr", "10.52.0"));
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto before = addresses(three);
  expect_valid(before, "10.52.0");

  std::vector<std::string> two{"ipr1", "ipr3"};
  dir_.write("ipam.yaml", manifest(two, "ipamr", "10.52.0"));
  CmdResult b = apply();
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  auto after = addresses(two);
  EXPECT_EQ(after["ipr1"], before["ipr1"]);
  EXPECT_EQ(after["ipr3"], before["ipr3"]);
}

}  // namespace
}  // namespace topo::e2e
