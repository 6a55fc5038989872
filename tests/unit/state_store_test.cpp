#include "reconciler/state/state_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace topo {

namespace {

std::string temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "topo-state-XXXXXX").string();
  return mkdtemp(tmpl.data());
}

}  // namespace

TEST(StateStore, SavesAndLoadsAllocations) {
  std::string dir = temp_dir() + "/state";
  StateStore store(dir);
  EXPECT_TRUE(store.load().allocations.empty());
  State s;
  s.allocations["n/c/eth0"].ipv4 = IpAddress::parse("10.0.0.2");
  s.allocations["n/c/eth0"].ipv6 = IpAddress::parse("fd00::2");
  s.allocations["n/c/eth0"].mac = "02:42:0a:00:00:02";
  store.save(s);
  State back = store.load();
  EXPECT_EQ(back.allocations["n/c/eth0"].ipv4->str(), "10.0.0.2");
  EXPECT_EQ(back.allocations["n/c/eth0"].ipv6->str(), "fd00::2");
  EXPECT_EQ(back.allocations["n/c/eth0"].mac, "02:42:0a:00:00:02");
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the state dir is private";
  EXPECT_FALSE(std::filesystem::exists(dir + "/state.json.tmp"));
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(StateStore, CorruptFileIsAClearError) {
  std::string dir = temp_dir();
  std::ofstream(dir + "/state.json") << "{ not json";
  try {
    StateStore(dir).load();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(StateLock, ASecondLockerWaitsThenGivesUpClearly) {
  std::string dir = temp_dir();
  StateLock first(dir, 1);
  try {
    StateLock second(dir, 0);
    FAIL() << "expected the lock to be busy";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another topo holds the lock"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace topo
