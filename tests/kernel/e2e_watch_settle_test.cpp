// `topo watch` and a manifest rewritten in place (issue 12, "Done when" 3):
// editors and `cat >` truncate a file and write it again; with the file
// rewritten 20 times a second for 10 seconds, the namespace of a container
// that is in every version is never deleted or made anew. Once the file is
// still, its final version is applied, deletions included.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {
namespace {

using namespace std::chrono_literals;

std::string version(const std::string& second) {
  return "version: 1\nnetworks:\n  - name: calm\n    subnet: 172.24.0.0/24\ncontainers:\n  - name: keep\n  - name: " +
         second + "\nattachments:\n  - container: keep\n    network: calm\n  - container: " + second +
         "\n    network: calm\n";
}

unsigned long ns_inode(const std::string& name) {
  struct stat st {};
  return ::stat((std::string(std::getenv("TOPO_NETNS_DIR") ? std::getenv("TOPO_NETNS_DIR") : "/run/netns") + "/" + name).c_str(), &st) == 0 ? st.st_ino : 0;
}

class E2EWatchSettle : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);  // the watcher refuses manifests writable by group or others
    E2ETest::SetUp();
    dir_.move_under("/run");  // and trees below a world-writable directory such as /tmp
  }
};

TEST_F(E2EWatchSettle, RewritingAFileInPlaceNeverRemakesANamespaceInEveryVersion) {
  const std::string file = dir_.write("m.yaml", version("one"));
  WatchProcess w({"--log-level", "debug", "watch", dir_.path(), "--debounce", "20", "--settle", "2000"});
  ASSERT_TRUE(eventually([] { return link_exists("keep", "eth0") && link_exists("one", "eth0"); }, 10s)) << w.log();
  const unsigned long keep = ns_inode("keep");
  ASSERT_NE(keep, 0u);

  // 20 rewrites a second for 10 s, each truncating first, then writing half
  // of a version, then the whole of it, as an editor or `cat >` would.
  const auto end = std::chrono::steady_clock::now() + 10s;
  for (int i = 0; std::chrono::steady_clock::now() < end; ++i) {
    const std::string text = version(i % 2 ? "two" : "one");
    { std::ofstream truncate(file, std::ios::trunc); }
    std::this_thread::sleep_for(15ms);
    { std::ofstream(file, std::ios::trunc) << text.substr(0, text.size() / 2); }
    std::this_thread::sleep_for(15ms);
    { std::ofstream(file, std::ios::trunc) << text; }
    std::this_thread::sleep_for(20ms);
    ASSERT_EQ(ns_inode("keep"), keep) << "the namespace of a container in every version was made anew\n" << w.log();
  }
  std::ofstream(file, std::ios::trunc) << version("two");
  ASSERT_TRUE(eventually([] { return link_exists("two", "eth0") && ns_inode("one") == 0; }, 15s))
      << "the final version was not applied once the file was still\n" << w.log() << kernel_snapshot();
  EXPECT_EQ(ns_inode("keep"), keep);
  EXPECT_EQ(w.log().find("Delete namespace /keep"), std::string::npos) << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait_exit(10s), 0) << w.log();
}

}  // namespace
}  // namespace topo::e2e
