#include "reconciler/state/state_store.hpp"
#include "reconciler/state/state_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <functional>
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
  for (const auto& e : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().rfind(".topo-tmp-", 0), std::string::npos) << "left " << e.path();
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(StateStore, RemembersPoolSubnetsAndReadsOlderFilesWithout) {
  std::string dir = temp_dir() + "/state";
  StateStore store(dir);
  State s;
  s.subnets["n"] = PoolChoice{*IpPrefix::parse("172.18.0.0/16"), "shop"};
  store.save(s);
  State back = store.load();
  ASSERT_EQ(back.subnets.count("n"), 1u);
  EXPECT_EQ(back.subnets["n"], s.subnets["n"]);
  // A state file from before the pools: no "subnets" key.
  std::ofstream(dir + "/state.json") << R"({"version": 1, "allocations": {}})";
  EXPECT_TRUE(store.load().subnets.empty());
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

// The trust rule for the state dir (issue 12, point 6): 0700 and owned by the
// user topo runs as, else refused with its name and nothing changed.
TEST(StateDir, AGroupOrWorldAccessibleStateDirIsRefusedForEveryUse) {
  std::string dir = temp_dir();
  for (unsigned mode : {0777u, 0755u, 0710u, 01777u}) {
    ASSERT_EQ(::chmod(dir.c_str(), mode), 0);
    State s;
    s.allocations["n/c/eth0"].ipv4 = IpAddress::parse("10.0.0.2");
    for (auto use : std::vector<std::function<void()>>{[&] { StateStore(dir).load(); },
                                                       [&] { StateStore(dir).save(s); },
                                                       [&] { StateLock(dir, 0); }}) {
      try {
        use();
        ADD_FAILURE() << "mode " << std::oct << mode << " was accepted";
      } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("state dir " + dir + " is accessible by group or others"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("chmod 700"), std::string::npos) << e.what();
      }
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "nothing may be written into a refused state dir";
    struct stat st {};
    ASSERT_EQ(::stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, mode) << "and its mode is left as it was";
  }
  std::filesystem::remove_all(dir);
}

TEST(StateDir, OwnershipByAnotherUserIsRefused) {
  EXPECT_NE(state_dir_problem("/s", 65534, 040700, 0).find("state dir /s is owned by uid 65534"), std::string::npos);
  EXPECT_EQ(state_dir_problem("/s", 0, 040700, 0), "");
  EXPECT_EQ(state_dir_problem("/s", 1000, 040700, 1000), "");
  EXPECT_NE(state_dir_problem("/s", 0, 040701, 0), "");
}

TEST(StateDir, IsCreatedPrivateWhateverTheUmask) {
  std::string dir = temp_dir() + "/state";
  mode_t old = ::umask(0);
  StateStore(dir).save(State{});
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

// No symlink is followed in the state dir (issue 12, point 5).
TEST(StateDir, SymlinksAsTheStateDirTheStateFileOrTheLockAreRefused) {
  namespace fs = std::filesystem;
  std::string root = temp_dir();
  fs::create_directories(root + "/elsewhere");
  ::chmod((root + "/elsewhere").c_str(), 0700);
  std::ofstream(root + "/elsewhere/victim") << "precious\n";
  auto victim = [&] {
    std::ifstream in(root + "/elsewhere/victim");
    std::string line;
    std::getline(in, line);
    return line;
  };

  fs::create_directory_symlink(root + "/elsewhere", root + "/state-link");
  EXPECT_THROW(StateStore(root + "/state-link").save(State{}), std::runtime_error);
  EXPECT_THROW(StateStore(root + "/state-link").load(), std::runtime_error);
  EXPECT_THROW(StateLock(root + "/state-link", 0), std::runtime_error);
  EXPECT_EQ(fs::directory_iterator(root + "/elsewhere")->path().filename(), "victim");

  std::string dir = root + "/state";
  StateStore(dir).save(State{});
  fs::remove(dir + "/state.json");
  fs::create_symlink(root + "/elsewhere/victim", dir + "/state.json");
  fs::create_symlink(root + "/elsewhere/victim", dir + "/lock");
  try {
    StateStore(dir).save(State{});
    ADD_FAILURE() << "saved through a symlink";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/state.json: is a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_THROW(StateStore(dir).load(), std::runtime_error);
  try {
    StateLock(dir, 0);
    ADD_FAILURE() << "locked through a symlink";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/lock: is a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_EQ(victim(), "precious");
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().rfind(".topo-tmp-", 0), std::string::npos) << "left " << e.path();
  fs::remove_all(root);
}

}  // namespace topo
