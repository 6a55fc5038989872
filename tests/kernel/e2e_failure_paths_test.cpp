// Issue 13, point 6: every failure path leaves nothing half done and says so.
// - A full state dir: apply fails before the kernel is touched (it kept the
//   namespace it had made, and an empty temporary).
// - A full /etc/netns: no partial file, directory or mark is left (an empty
//   /etc/netns/c13 was), and the apply rolls back.
// - A rolled-back `apply -o json` is not the document of a successful one,
//   nor its text the text of one.
// - Under -o json, every error of every command that takes it is one JSON
//   document on stdout, parsed here, with exit code 1.
// - `status -o json` before any controller run is a document saying so.
// "Full" file systems are small tmpfs mounts made in the sandbox's own mount
// namespace, unmounted again however the test ends.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/kernel/e2e_support.hpp"
#include "tests/kernel/reliability_support.hpp"

namespace topo::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kOne = R"(version: 1
networks:
  - {name: fp, subnet: 10.113.0.0/24}
containers:
  - name: c13
attachments:
  - {container: c13, network: fp}
)";

// A tmpfs of `size` mounted on `at` (made if absent), filled until only
// `room` bytes are free, and unmounted (and `at` removed if made) at the end.
class FullTmpfs {
 public:
  FullTmpfs(const std::string& at, const std::string& size, const std::string& mode, std::size_t room) : at_(at) {
    made_dir_ = !fs::exists(at_);
    if (made_dir_) fs::create_directories(at_);
    CmdResult m = run({"mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=" + mode, "topo-test-full", at_});
    if (m.exit_code != 0) throw std::runtime_error("cannot mount a tmpfs on " + at_ + "\n" + m.describe());
    mounted_ = true;
    fill(room);
  }
  ~FullTmpfs() {
    if (mounted_) run({"umount", at_});
    std::error_code ec;
    if (made_dir_) fs::remove(at_, ec);
  }
  FullTmpfs(const FullTmpfs&) = delete;
  FullTmpfs& operator=(const FullTmpfs&) = delete;

  std::size_t free_bytes() const {
    struct statvfs st {};
    if (::statvfs(at_.c_str(), &st) != 0) throw std::runtime_error("statvfs " + at_);
    return static_cast<std::size_t>(st.f_bavail) * st.f_frsize;
  }
  // Everything in it but the filler, recursively, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(at_)) {
      const std::string rel = fs::relative(e.path(), at_).string();
      if (rel != kFiller) out.push_back(rel);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static constexpr const char* kFiller = ".filler";

 private:
  void fill(std::size_t room) {
    const std::size_t free = free_bytes();
    if (free <= room) return;
    std::ofstream out(at_ + "/" + kFiller, std::ios::binary);
    out << std::string(free - room, 'x');
    out.close();
  }

  std::string at_;
  bool made_dir_ = false, mounted_ = false;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

// Parsed stdout of a command run with -o json; a failed parse fails the test.
json doc_of(const CmdResult& r) {
  json j;
  EXPECT_NO_THROW(j = json::parse(r.out)) << "stdout is not one JSON document\n" << r.describe();
  return j;
}

// A failure under -o json: exit 1, a document with ok false and the errors.
json expect_error_doc(const CmdResult& r, const std::string& command, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  json j = doc_of(r);
  if (!j.is_object()) return j;
  EXPECT_EQ(j.value("command", ""), command) << r.out;
  EXPECT_EQ(j.value("ok", true), false) << r.out;
  EXPECT_TRUE(j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) << r.out;
  EXPECT_NE(j.dump().find(needle), std::string::npos) << "the document does not say \"" << needle << "\"\n"
                                                      << r.out;
  if (command == "apply" || command == "destroy") {
    EXPECT_EQ(j.value("applied", true), false) << r.out;
    EXPECT_EQ(j.value("rolled_back", true), false) << r.out;
  }
  return j;
}

class FailurePaths : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    scratch_ = fs::temp_directory_path() / ("topo-failure-paths." + std::to_string(::getpid()));
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    E2ETest::TearDown();
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }
  fs::path scratch_;
};

// Before the fix: exit 1 with "No space left on device", and namespace c13
// with its links stayed.
TEST_F(FailurePaths, AFullStateDirFailsTheApplyBeforeTheKernelIsTouched) {
  dir_.write("t.yaml", kOne);
  const std::string state = (scratch_ / "state").string();
  FullTmpfs full(state, "64k", "0700", 0);
  const std::string before = kernel_snapshot();

  CmdResult a = apply({"--state-dir", state});
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.err.find("No space left on device"), std::string::npos) << a.describe();
  EXPECT_NE(a.err.find("nothing was changed"), std::string::npos) << a.describe();
  EXPECT_EQ(last_line(a.out), "Apply failed: nothing was changed.") << a.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "the failed apply changed the kernel\n" << a.describe();
  EXPECT_TRUE(netns_list().empty()) << a.describe();
  EXPECT_EQ(full.entries(), std::vector<std::string>{"lock"}) << "partial files were left in the state dir";

  CmdResult j = apply({"--state-dir", state, "-o", "json"});
  expect_error_doc(j, "apply", "No space left on device");
  EXPECT_EQ(kernel_snapshot(), before) << j.describe();
  EXPECT_EQ(full.entries(), std::vector<std::string>{"lock"});
}

// Before the fix: an empty, marked /etc/netns/c13 (or the marks dir) stayed.
// Room for nothing, for the mark only, and for the mark and hosts only: each
// write fails at another point, and nothing of any stays.
TEST_F(FailurePaths, AFullEtcNetnsLeavesNoPartialFileOrDirectoryAndRollsBack) {
  dir_.write("t.yaml", kOne);
  for (std::size_t pages : {0, 1, 2}) {
    SCOPED_TRACE("room for " + std::to_string(pages) + " page(s)");
    const std::string before = kernel_snapshot();
    {
      FullTmpfs full("/etc/netns", "64k", "0755", pages * 4096);
      CmdResult a = apply();
      EXPECT_EQ(a.exit_code, 1) << a.describe();
      EXPECT_NE(a.err.find("No space left on device"), std::string::npos) << a.describe();
      EXPECT_NE(a.err.find("Rolled back"), std::string::npos) << a.describe();
      EXPECT_EQ(last_line(a.out), "Apply failed and was rolled back: nothing was changed.") << a.describe();
      EXPECT_EQ(kernel_snapshot(), before) << "the failed apply changed the kernel\n" << a.describe();
      EXPECT_EQ(join(full.entries()), "") << "partial files or directories were left in /etc/netns\n"
                                          << a.describe();
    }
  }
  // With room again, the same manifests apply and give c13 its files.
  CmdResult ok = apply();
  ASSERT_EQ(ok.exit_code, 0) << ok.describe();
  EXPECT_EQ(last_line(ok.out).rfind("Apply complete: ", 0), 0u) << ok.describe();
  EXPECT_TRUE(fs::exists("/etc/netns/c13/hosts"));
}

// Before the fix, both printed the plan document, before running it.
TEST_F(FailurePaths, ARolledBackApplyUnderJsonSaysSoAndASuccessfulOneDiffers) {
  dir_.write("t.yaml", kOne);
  const std::string before = kernel_snapshot();
  CmdResult failed = topo_env({"TOPO_FAULT_FAIL_OP=3"}, {"apply", dir_.path(), "-o", "json"});
  EXPECT_EQ(failed.exit_code, 1) << failed.describe();
  EXPECT_EQ(kernel_snapshot(), before) << failed.describe();
  json f = doc_of(failed);
  EXPECT_EQ(f.value("command", ""), "apply") << failed.out;
  EXPECT_EQ(f.value("ok", true), false) << failed.out;
  EXPECT_EQ(f.value("applied", true), false) << failed.out;
  EXPECT_EQ(f.value("rolled_back", false), true) << failed.out;
  ASSERT_TRUE(f.contains("rollback")) << failed.out;
  EXPECT_EQ(f["rollback"].value("complete", false), true) << failed.out;
  EXPECT_GT(f["rollback"].value("actions_undone", -1), 0) << failed.out;
  ASSERT_TRUE(f["errors"].is_array() && !f["errors"].empty()) << failed.out;
  EXPECT_NE(f["errors"][0].value("message", "").find("injected failure"), std::string::npos) << failed.out;

  CmdResult done = apply({"-o", "json"});
  ASSERT_EQ(done.exit_code, 0) << done.describe();
  json d = doc_of(done);
  EXPECT_EQ(d.value("ok", false), true) << done.out;
  EXPECT_EQ(d.value("applied", false), true) << done.out;
  EXPECT_EQ(d.value("rolled_back", true), false) << done.out;
  EXPECT_TRUE(d["errors"].empty()) << done.out;
  EXPECT_GT(d["plan"]["summary"].value("add", 0), 0) << done.out;
  EXPECT_NE(f, d);

  // Text: the outcome line differs too; the failed run's never says "complete".
  dir_.write("t.yaml", std::string(kOne) + "  - {container: c14, network: fp}\n");
  dir_.write("c14.yaml", "version: 1\ncontainers:\n  - name: c14\n");
  CmdResult text = topo_env({"TOPO_FAULT_FAIL_OP=1"}, {"apply", dir_.path()});
  EXPECT_EQ(text.exit_code, 1) << text.describe();
  EXPECT_EQ(last_line(text.out), "Apply failed and was rolled back: nothing was changed.") << text.describe();
  EXPECT_EQ(text.all().find("complete"), std::string::npos) << text.describe();
}

TEST_F(FailurePaths, EveryErrorUnderJsonIsADocumentWithTheErrors) {
  // An invalid manifest: each command that loads it, errors located.
  dir_.write("bad.yaml", "version: 1\nnetworks:\n  - {name: web, subnet: 10.65.0.0/99}\n");
  for (const std::string cmd : {"validate", "plan", "diff", "apply", "destroy"}) {
    SCOPED_TRACE(cmd);
    CmdResult r = topo({cmd, dir_.path(), "-o", "json"});
    json j = expect_error_doc(r, cmd, "10.65.0.0/99");
    if (!j.is_object() || !j.contains("errors") || j["errors"].empty()) continue;
    const json& e = j["errors"][0];
    EXPECT_EQ(e.value("file", ""), dir_.path() + "/bad.yaml") << r.out;
    EXPECT_EQ(e.value("line", 0), 3) << r.out;
    EXPECT_GT(e.value("column", 0), 0) << r.out;
  }
  dir_.remove("bad.yaml");

  // A conflict: the bridge's name is taken by a link topo does not own.
  dir_.write("t.yaml", kOne);
  ASSERT_EQ(run({"ip", "link", "add", "br-fp", "type", "bridge"}).exit_code, 0);
  for (const std::string cmd : {"plan", "diff", "apply"}) {
    SCOPED_TRACE(cmd);
    expect_error_doc(topo({cmd, dir_.path(), "-o", "json"}), cmd, "conflict");
  }
  ASSERT_EQ(run({"ip", "link", "del", "br-fp"}).exit_code, 0);

  // The lock held by another topo.
  {
    const std::string lock = std::string(std::getenv("TOPO_STATE_DIR")) + "/lock";
    int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    for (const std::string cmd : {"apply", "destroy"}) {
      SCOPED_TRACE(cmd);
      expect_error_doc(topo({cmd, dir_.path(), "--lock-wait", "0", "-o", "json"}), cmd, "holds the lock");
    }
    ::close(fd);
  }

  // A saved plan gone stale: the manifests were applied since it was made.
  const std::string plan_file = dir_.path() + "/plan.json";
  ASSERT_EQ(plan({"--out", plan_file}).exit_code, 0);
  ASSERT_EQ(apply().exit_code, 0);
  expect_error_doc(topo({"apply", plan_file, "-o", "json"}), "apply", "changed since this plan was made");
  fs::remove(plan_file);

  // destroy without manifests or --stack; show and status with an untrusted state dir.
  expect_error_doc(topo({"destroy", "-o", "json"}), "destroy", "--stack");
  const std::string loose = (scratch_ / "loose").string();
  fs::create_directories(loose);
  fs::permissions(loose, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  expect_error_doc(topo({"status", "--state-dir", loose, "-o", "json"}), "status", "chmod 700");
  expect_error_doc(topo({"plan", dir_.path(), "--state-dir", loose, "-o", "json"}), "plan", "chmod 700");
  const std::string not_a_dir = (scratch_ / "not-a-dir").string();
  std::ofstream(not_a_dir) << "x\n";
  expect_error_doc(topo({"show", "--netns-dir", not_a_dir, "-o", "json"}), "show", "Not a directory");
}

// Before the fix: nothing on stdout.
TEST_F(FailurePaths, StatusUnderJsonBeforeAnyControllerRunSaysNoneIsRecorded) {
  dir_.write("t.yaml", kOne);  // for TearDown's destroy: nothing is applied
  const std::string state = (scratch_ / "never-watched").string();
  CmdResult r = topo({"status", "--state-dir", state, "-o", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  json j = doc_of(r);
  EXPECT_EQ(j.value("command", ""), "status") << r.out;
  EXPECT_EQ(j.value("recorded", true), false) << r.out;
  EXPECT_EQ(j.value("running", true), false) << r.out;
  EXPECT_EQ(j.value("ok", true), false) << r.out;
  EXPECT_NE(j.dump().find("no controller run is recorded"), std::string::npos) << r.out;
  CmdResult text = topo({"status", "--state-dir", state});
  EXPECT_EQ(text.exit_code, 1) << text.describe();
  EXPECT_TRUE(text.out.empty()) << text.describe();
  EXPECT_NE(text.err.find("no controller run is recorded"), std::string::npos) << text.describe();
}

}  // namespace
}  // namespace topo::e2e
