// Issue 12, points 5, 6 and 8 (the file system and privileges): topo never
// writes or removes through a symlink planted where it works (the netns
// dir's marks, /etc/netns, plan --out, the state dir), refuses a state dir
// others could change, `topo watch` refuses manifests others could have
// written (owned by another user, or below a directory others may write),
// and a run without root says that root is what is missing.
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/watch_process.hpp"

namespace topo::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr uid_t kNobody = 65534;

std::string one_container(const std::string& net, const std::string& subnet, const std::string& c) {
  return "version: 1\nnetworks:\n  - {name: " + net + ", subnet: " + subnet + "}\ncontainers:\n  - name: " + c +
         "\nattachments:\n  - {container: " + c + ", network: " + net + "}\n";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary directory (under `base`), removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& base = fs::temp_directory_path().string(), unsigned mode = 0700) {
    std::string tmpl = base + "/topo-fs-safety.XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
    ::chmod(path_.c_str(), mode);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// A directory of files that look like marks, and a way to see it unchanged.
struct Victim {
  TempDir dir;
  Victim() {
    std::ofstream(dir.path() / "web") << "host\n";
    std::ofstream(dir.path() / "db") << "container:web\n";
    std::ofstream(dir.path() / "passwd") << "precious\n";
  }
  std::string listing() const {
    std::string out;
    for (const auto& e : fs::directory_iterator(dir.path()))
      out += e.path().filename().string() + "=" + slurp(e.path());
    return out;
  }
};

// A symlink planted at `at`, removed again however the test ends (a `.topo`
// entry left in the netns dir would break every later test's `ip netns`).
class Planted {
 public:
  Planted(const fs::path& target, const fs::path& at) : at_(at) { fs::create_symlink(target, at_); }
  ~Planted() { remove(); }
  void remove() {
    std::error_code ec;
    fs::remove(at_, ec);
  }

 private:
  fs::path at_;
};

class E2EHostileFiles : public E2ETest {};

TEST_F(E2EHostileFiles, ASymlinkPlantedAsTheNetnsMarksDirIsAnErrorAndNothingIsRemovedThroughIt) {
  Victim victim;
  const std::string before_files = victim.listing();
  const std::string marks = std::string(std::getenv("TOPO_NETNS_DIR")) + "/.topo";
  dir_.write("m.yaml", one_container("fsnet1", "10.140.1.0/24", "fs1"));
  const std::string before = kernel_snapshot();  // (ip netns cannot list a dir holding the link)
  Planted link(victim.dir.path(), marks);
  for (const char* cmd : {"plan", "apply", "destroy"}) {
    CmdResult r = topo({cmd, dir_.path()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find(marks + ": is a symbolic link"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(victim.listing(), before_files) << "files were removed or changed through the planted symlink";
  link.remove();
  EXPECT_EQ(kernel_snapshot(), before);
}

TEST_F(E2EHostileFiles, ASymlinkPlantedAsTheEtcNetnsMarksDirIsAnErrorAndNothingIsWrittenThroughIt) {
  Victim victim;
  const std::string before_files = victim.listing();
  const std::string marks = "/etc/netns/.topo";
  Planted link(victim.dir.path(), marks);
  dir_.write("m.yaml", one_container("fsnet2", "10.140.2.0/24", "fs2"));
  const std::string before = kernel_snapshot();
  CmdResult r = apply();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find(marks + ": is a symbolic link"), std::string::npos) << r.describe();
  EXPECT_EQ(victim.listing(), before_files) << "a mark was written through the planted symlink";
  EXPECT_EQ(kernel_snapshot(), before) << "the failed apply must roll back";
  link.remove();
  EXPECT_EQ(apply().exit_code, 0) << "with the symlink gone, the same apply works";
}

TEST_F(E2EHostileFiles, PlanOutNeverWritesThroughASymlink) {
  Victim victim;
  const std::string before_files = victim.listing();
  TempDir out_dir;
  const std::string out = (out_dir.path() / "plan.json").string();
  dir_.write("m.yaml", one_container("fsnet3", "10.140.3.0/24", "fs3"));
  // Symlinks at the temporary names writers have used: never followed.
  for (const std::string& tmp : {out + ".tmp", out_dir.str() + "/.topo-tmp-plan.json"})
    fs::create_symlink(victim.dir.path() / "passwd", tmp);
  CmdResult r = plan({"--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(victim.listing(), before_files) << "plan --out wrote through a symlink at its temporary name";
  EXPECT_FALSE(fs::is_symlink(out));
  EXPECT_EQ(slurp(out).substr(0, 1), "{");
  // A symlink at the file itself: an error naming it, its target untouched.
  fs::remove(out);
  fs::create_symlink(victim.dir.path() / "passwd", out);
  r = plan({"--out", out});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find(out + ": is a symbolic link"), std::string::npos) << r.describe();
  EXPECT_EQ(victim.listing(), before_files);
  for (const auto& e : fs::directory_iterator(out_dir.path()))
    EXPECT_EQ(e.path().filename().string().rfind(".topo-tmp-plan.json.", 0), std::string::npos)
        << "a temporary was left behind: " << e.path();
}

TEST_F(E2EHostileFiles, AStateDirOthersCouldChangeIsRefusedByEveryCommandAndNothingChanges) {
  dir_.write("m.yaml", one_container("fsnet4", "10.140.4.0/24", "fs4"));
  TempDir state;
  const std::string before = kernel_snapshot();
  struct Case {
    unsigned mode;
    uid_t owner;
    std::string says;
  };
  for (const Case& c : {Case{0777, 0, "is accessible by group or others (mode 0777)"},
                        Case{01777, 0, "is accessible by group or others (mode 1777)"},
                        Case{0755, 0, "is accessible by group or others (mode 0755)"},
                        Case{0700, kNobody, "is owned by uid 65534"}}) {
    ASSERT_EQ(::chown(state.path().c_str(), c.owner, c.owner), 0);
    ASSERT_EQ(::chmod(state.path().c_str(), c.mode), 0);
    for (const char* cmd : {"plan", "diff", "apply", "destroy"}) {
      CmdResult r = topo({cmd, dir_.path(), "--state-dir", state.str()});
      EXPECT_EQ(r.exit_code, 1) << r.describe();
      EXPECT_NE(r.err.find("state dir " + state.str() + " " + c.says), std::string::npos) << r.describe();
    }
    CmdResult st = topo({"status", "--state-dir", state.str()});
    EXPECT_NE(st.err.find("state dir " + state.str() + " " + c.says), std::string::npos) << st.describe();
    EXPECT_TRUE(fs::is_empty(state.path())) << "something was written into the refused state dir";
    EXPECT_EQ(kernel_snapshot(), before);
  }
  ASSERT_EQ(::chown(state.path().c_str(), 0, 0), 0);
}

TEST_F(E2EHostileFiles, AFreshStateDirIsMadePrivate) {
  TempDir parent;
  const std::string state = parent.str() + "/state";
  dir_.write("m.yaml", one_container("fsnet5", "10.140.5.0/24", "fs5"));
  ::umask(0);
  CmdResult r = topo({"apply", dir_.path(), "--state-dir", state});
  ::umask(022);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  struct stat st {};
  ASSERT_EQ(::stat(state.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  for (const char* f : {"state.json", "lock"}) {
    ASSERT_EQ(::stat((state + "/" + f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 077, 0u) << f << " is readable by others";
  }
  EXPECT_EQ(topo({"destroy", dir_.path(), "--state-dir", state}).exit_code, 0);
}

TEST_F(E2EHostileFiles, ASymlinkPlantedAsAMarkedEntryIsNeverUnmountedThroughNorRemoved) {
  const std::string entry = std::string(std::getenv("TOPO_NETNS_DIR")) + "/onhost";
  dir_.write("m.yaml", "version: 1\ncontainers:\n  - name: onhost\n    network_mode: host\n");
  ASSERT_EQ(apply().exit_code, 0);
  // Someone else's mount (private to the sandbox's mount namespace), and the
  // entry swapped for a symlink to it: unmounting through the link would
  // take their mount away.
  TempDir victim;
  ASSERT_EQ(sh("mount -t tmpfs topo-victim " + victim.str()).exit_code, 0);
  ASSERT_EQ(sh("umount " + entry + " && rm " + entry).exit_code, 0);
  Planted link(victim.path(), entry);
  for (const char* cmd : {"apply", "destroy"}) {
    CmdResult r = topo({cmd, dir_.path()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find(entry + ": Too many levels of symbolic links (is a symbolic link"), std::string::npos)
        << r.describe();
    EXPECT_EQ(sh("mountpoint -q " + victim.str()).exit_code, 0) << cmd << " unmounted through the planted symlink";
    EXPECT_TRUE(fs::is_symlink(entry));
  }
  link.remove();
  sh("umount " + victim.str());
}

// Issue 12, point 8: without root, the error says what is missing.
class E2ECliPermission : public E2ETest {};

TEST_F(E2ECliPermission, WithoutRootTheErrorSaysThatRootIsNeeded) {
  TempDir manifests(fs::temp_directory_path().string(), 0755);
  std::string m = (manifests.path() / "m.yaml").string();
  std::ofstream(m) << one_container("fsnet6", "10.140.6.0/24", "fs6");
  dir_.write("m.yaml", one_container("fsnet6", "10.140.6.0/24", "fs6"));  // for TearDown's destroy
  ::chmod(m.c_str(), 0644);
  TempDir state;
  ASSERT_EQ(::chown(state.path().c_str(), kNobody, kNobody), 0);
  const std::string before = kernel_snapshot();
  for (const char* cmd : {"plan", "apply"}) {
    CmdResult r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                       TOPO_BINARY, cmd, manifests.str(), "--state-dir", state.str()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.err.find("topo needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(kernel_snapshot(), before);
  ASSERT_EQ(::chown(state.path().c_str(), 0, 0), 0);
}

// Issue 12, point 6: the controller's trust rule, on the real binary.
class E2EWatchTrust : public E2ETest {
 protected:
  void SetUp() override {
    ::umask(022);
    E2ETest::SetUp();
  }
  // TearDown destroys what dir_ declares: the same objects as the watched tree.
  std::unique_ptr<WatchProcess> start(const std::string& path) {
    return std::make_unique<WatchProcess>(
        std::vector<std::string>{"--log-level", "debug", "watch", path, "--debounce", "100", "--max-backoff", "1"});
  }
  static std::string status_text() { return topo({"status"}).out; }
  // A pass of this watcher is on record (an earlier test's status file may be there).
  static std::function<bool()> passed_once(const WatchProcess& w) {
    return [pid = w.pid()] {
      auto j = nlohmann::json::parse(topo({"status", "-o", "json"}).out);
      return j["pid"].get<int>() == pid && j["totals"]["passes"].get<int>() >= 1;
    };
  }
};

TEST_F(E2EWatchTrust, AManifestOwnedByAnotherUserIsRefusedUntilItIsRoots) {
  TempDir tree("/run", 0755);
  const std::string yaml = one_container("fsnet7", "10.140.7.0/24", "fs7");
  dir_.write("m.yaml", yaml);
  std::string m = (tree.path() / "m.yaml").string();
  std::ofstream(m) << yaml;
  ASSERT_EQ(::chown(m.c_str(), kNobody, kNobody), 0);
  auto w = start(tree.str());
  ASSERT_TRUE(eventually(passed_once(*w), seconds(8))) << w->log();
  std::string st = status_text();
  EXPECT_NE(st.find(m + ": owned by uid 65534, neither root nor the controller's user"), std::string::npos) << st;
  EXPECT_FALSE(link_exists("fs7", "eth0")) << "a manifest owned by nobody was applied";
  ASSERT_EQ(::chown(m.c_str(), 0, 0), 0);
  ::utimes(m.c_str(), nullptr);  // an event, so the change is seen before the resync
  std::ofstream(m, std::ios::app) << "\n";
  EXPECT_TRUE(eventually([] { return link_exists("fs7", "eth0"); }, seconds(8))) << w->log();
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(seconds(8)), 0) << w->log();
}

TEST_F(E2EWatchTrust, AWorldWritableParentDirectoryIsRefused) {
  TempDir top("/run", 0755);
  fs::create_directories(top.path() / "open" / "topo");
  ::chmod((top.path() / "open").c_str(), 01777);
  ::chmod((top.path() / "open" / "topo").c_str(), 0755);
  const std::string yaml = one_container("fsnet8", "10.140.8.0/24", "fs8");
  dir_.write("m.yaml", yaml);
  std::ofstream(top.path() / "open" / "topo" / "m.yaml") << yaml;
  auto w = start((top.path() / "open" / "topo").string());
  ASSERT_TRUE(eventually(passed_once(*w), seconds(8))) << w->log();
  std::string st = status_text();
  EXPECT_NE(st.find((top.path() / "open").string() + " (a directory above the manifests): writable by group or others"),
            std::string::npos)
      << st;
  EXPECT_FALSE(link_exists("fs8", "eth0")) << "manifests below a world-writable directory were applied";
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(seconds(8)), 0) << w->log();
}

}  // namespace
}  // namespace topo::e2e
