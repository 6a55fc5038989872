// Issue 5: name resolution through the per-container files topo writes to
// /etc/netns/<name>/ (hosts, resolv.conf), which `ip netns exec` mounts over
// /etc. The sandbox gives every test process a private tmpfs /etc/netns.
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

namespace fs = std::filesystem;
const fs::path kEtcNetns = "/etc/netns";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `getent hosts NAME` inside a container: the first address, "" when unknown.
std::string resolve(const std::string& ns, const std::string& name) {
  CmdResult r = run({"ip", "netns", "exec", ns, "getent", "hosts", name});
  if (r.exit_code != 0) return "";
  std::istringstream f(r.out);
  std::string addr;
  f >> addr;
  return addr;
}

// Whether the container's hosts file knows NAME. For negative checks: a
// name that is not there would otherwise go on to DNS and wait for a
// nameserver the sandbox cannot reach.
bool known(const std::string& ns, const std::string& name) {
  CmdResult r = run({"ip", "netns", "exec", ns, "getent", "-s", "files", "hosts", name});
  return r.exit_code == 0;
}

bool ping_name(const std::string& ns, const std::string& name) {
  return run({"ip", "netns", "exec", ns, "ping", "-c1", "-W2", name}).exit_code == 0;
}

// A scratch directory outside /etc/netns, for symlinks to point at.
struct Outside {
  fs::path dir;
  Outside() {
    std::string tmpl = (fs::temp_directory_path() / "topo-outside-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
  }
  ~Outside() { fs::remove_all(dir); }
};

// `getent hosts NAME` asks for IPv6 first, and a name with only an IPv4 line
// in hosts goes on to DNS for that. The sandbox has no reachable nameserver,
// so the containers here name their own loopback, where nothing listens: the
// DNS step fails at once instead of timing out. (dns: is itself under test.)
constexpr const char* kNet = R"(version: 1
networks:
  - name: names
    subnet: 10.51.0.0/24
  - name: other
    subnet: 10.52.0.0/24
containers:
  - name: a
    dns: [127.0.0.1]
  - name: b
    hostname: bee
    dns: [127.0.0.1]
  - name: c
    dns: [127.0.0.1]
  - name: d
    dns: [127.0.0.1]
attachments:
  - container: a
    network: names
  - container: b
    network: names
    ipv4: 10.51.0.20
  - container: c
    network: names
    ipv4: 10.51.0.30
    aliases: [cache, store]
  - container: d
    network: other
    ipv4: 10.52.0.40
)";

TEST_F(E2ETest, MembersOfANetworkResolveEachOtherByNameAndAlias) {
  dir_.write("net.yaml", kNet);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();

  EXPECT_EQ(resolve("a", "b"), "10.51.0.20") << slurp(kEtcNetns / "a" / "hosts");
  EXPECT_TRUE(ping_name("a", "b")) << "ping b by name from a failed\n" << slurp(kEtcNetns / "a" / "hosts");
  EXPECT_EQ(resolve("a", "cache"), "10.51.0.30");
  EXPECT_EQ(resolve("a", "store"), "10.51.0.30");
  EXPECT_TRUE(ping_name("a", "cache"));
  EXPECT_EQ(resolve("b", "a"), ipv4_of("a", "eth0"));
  // Itself by name and hostname; localhost.
  EXPECT_EQ(resolve("b", "bee"), "10.51.0.20");
  EXPECT_EQ(resolve("b", "b"), "10.51.0.20");
  EXPECT_TRUE(known("b", "localhost"));
  // d is on another network: not a member, not resolvable.
  EXPECT_FALSE(known("a", "d"));
  EXPECT_FALSE(known("d", "a"));
  EXPECT_TRUE(known("a", "b")) << "the files-only lookup itself works";

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "files are not idempotent\n" << p.describe();
}

// As Docker's resolver answers them: NAME.NETWORK and ALIAS.NETWORK, only
// for the network the name is a member of.
TEST_F(E2ETest, MembersResolveAsNameDotNetwork) {
  dir_.write("net.yaml", kNet);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(resolve("a", "b.names"), "10.51.0.20") << slurp(kEtcNetns / "a" / "hosts");
  EXPECT_TRUE(ping_name("a", "b.names")) << slurp(kEtcNetns / "a" / "hosts");
  EXPECT_EQ(resolve("a", "cache.names"), "10.51.0.30");
  EXPECT_EQ(resolve("b", "c.names"), "10.51.0.30");
  EXPECT_FALSE(known("a", "b.other"));
  EXPECT_FALSE(known("a", "d.other")) << "d is on a network a is not on";
}

constexpr const char* kLinks = R"(version: 1
networks:
  - name: links
    subnet: 10.53.0.0/24
containers:
  - name: tomcat-01
    dns: [127.0.0.1]
  - name: app
    links: ["tomcat-01:db"]
    dns: [127.0.0.1]
attachments:
  - container: tomcat-01
    network: links
    ipv4: 10.53.0.10
  - container: app
    network: links
)";

TEST_F(E2ETest, LinksAreOneWayAndResolveUnderTheirAlias) {
  dir_.write("links.yaml", kLinks);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(resolve("app", "db"), "10.53.0.10") << slurp(kEtcNetns / "app" / "hosts");
  EXPECT_EQ(resolve("app", "tomcat-01"), "10.53.0.10");
  EXPECT_TRUE(ping_name("app", "db"));
  EXPECT_FALSE(known("tomcat-01", "db")) << slurp(kEtcNetns / "tomcat-01" / "hosts");
  // tomcat-01 still resolves app as a fellow member.
  EXPECT_EQ(resolve("tomcat-01", "app"), ipv4_of("app", "eth0"));
}

constexpr const char* kDns = R"(version: 1
networks:
  - name: dnsnet
    subnet: 10.54.0.0/24
containers:
  - name: c
    dns: [127.0.0.1, 192.0.2.53]
    dns_search: [example.com]
    extra_hosts: ["db.ext:10.9.9.9", "v6.ext:fd00::9"]
attachments:
  - container: c
    network: dnsnet
)";

TEST_F(E2ETest, DnsAndExtraHostsShowUpInTheContainersEtc) {
  dir_.write("dns.yaml", kDns);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  CmdResult resolv = run({"ip", "netns", "exec", "c", "cat", "/etc/resolv.conf"});
  ASSERT_EQ(resolv.exit_code, 0) << resolv.describe();
  EXPECT_NE(resolv.out.find("\nnameserver 127.0.0.1\nnameserver 192.0.2.53\n"), std::string::npos) << resolv.out;
  EXPECT_NE(resolv.out.find("\nsearch example.com\n"), std::string::npos) << resolv.out;
  CmdResult hosts = run({"ip", "netns", "exec", "c", "cat", "/etc/hosts"});
  ASSERT_EQ(hosts.exit_code, 0) << hosts.describe();
  EXPECT_NE(hosts.out.find("10.9.9.9\tdb.ext\n"), std::string::npos) << hosts.out;
  EXPECT_EQ(resolve("c", "db.ext"), "10.9.9.9");
  EXPECT_EQ(resolve("c", "v6.ext"), "fd00::9");
  // The host's own files are untouched: the view is the container's only.
  EXPECT_EQ(slurp("/etc/hosts").find("db.ext"), std::string::npos);
}

constexpr const char* kOne = R"(version: 1
networks:
  - name: drift
    subnet: 10.55.0.0/24
containers:
  - name: a
    dns: [127.0.0.1]
  - name: b
    dns: [127.0.0.1]
attachments:
  - container: a
    network: drift
  - container: b
    network: drift
)";

TEST_F(E2ETest, AHandEditedHostsFileIsDriftAndApplyRestoresIt) {
  dir_.write("one.yaml", kOne);
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  const fs::path hosts = kEtcNetns / "a" / "hosts";
  std::string good = slurp(hosts);
  ASSERT_FALSE(good.empty());

  std::ofstream(hosts, std::ios::app) << "10.99.0.1\tb\n";
  EXPECT_EQ(resolve("a", "b"), ipv4_of("b", "eth0")) << "first match still wins: the edit is appended";

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << p.describe();
  EXPECT_NE(p.out.find("~ file a:hosts: content 12 lines -> 11 lines (0 to restore, 1 to drop)"),
            std::string::npos)
      << p.describe();
  EXPECT_EQ(p.out.find("10.99.0.1"), std::string::npos) << "whole files do not belong in a plan line\n"
                                                         << p.describe();
  CmdResult d = topo({"diff", dir_.path(), "--detailed-exitcode"});
  EXPECT_EQ(d.exit_code, 2) << d.describe();
  EXPECT_NE(d.out.find("drift    file a:hosts"), std::string::npos) << d.describe();

  CmdResult fix = apply({"--detailed-exitcode"});
  EXPECT_EQ(fix.exit_code, 2) << fix.describe();
  EXPECT_EQ(slurp(hosts), good);
  EXPECT_EQ(plan({"--detailed-exitcode"}).exit_code, 0);

  // A deleted file comes back too.
  fs::remove(kEtcNetns / "a" / "resolv.conf");
  ASSERT_EQ(apply().exit_code, 0);
  EXPECT_TRUE(fs::exists(kEtcNetns / "a" / "resolv.conf"));
}

TEST_F(E2ETest, DestroyRemovesTheFilesAndTheirDirectoryButNotForeignOnes) {
  dir_.write("one.yaml", kOne);
  fs::create_directories(kEtcNetns / "mine");
  std::ofstream(kEtcNetns / "mine" / "hosts") << "127.0.0.1 localhost\n";
  ASSERT_EQ(apply().exit_code, 0);
  ASSERT_TRUE(fs::exists(kEtcNetns / "a" / "hosts"));
  ASSERT_TRUE(fs::exists(kEtcNetns / "b" / "resolv.conf"));

  CmdResult d = destroy();
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_FALSE(fs::exists(kEtcNetns / "a")) << "the container's etc dir is left behind";
  EXPECT_FALSE(fs::exists(kEtcNetns / "b"));
  EXPECT_EQ(slurp(kEtcNetns / "mine" / "hosts"), "127.0.0.1 localhost\n") << "a foreign dir was touched";
}

TEST_F(E2ETest, RemovingAContainerFromTheManifestsRemovesItsFiles) {
  dir_.write("one.yaml", kOne);
  ASSERT_EQ(apply().exit_code, 0);
  dir_.write("one.yaml", R"(version: 1
networks:
  - name: drift
    subnet: 10.55.0.0/24
containers:
  - name: a
    dns: [127.0.0.1]
attachments:
  - container: a
    network: drift
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_FALSE(fs::exists(kEtcNetns / "b"));
  EXPECT_FALSE(known("a", "b")) << "a still knows the removed container\n" << slurp(kEtcNetns / "a" / "hosts");
}

TEST_F(E2ETest, AForeignEtcDirWithTheContainersNameIsAConflict) {
  dir_.write("one.yaml", kOne);
  fs::create_directories(kEtcNetns / "a");
  std::ofstream(kEtcNetns / "a" / "hosts") << "# someone else's\n";
  CmdResult r = apply();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("conflict: file a/hosts"), std::string::npos) << r.describe();
  EXPECT_EQ(slurp(kEtcNetns / "a" / "hosts"), "# someone else's\n");
  EXPECT_TRUE(netns_list().empty()) << "a conflict must change nothing";
  fs::remove_all(kEtcNetns / "a");
}

TEST_F(E2ETest, ASymlinkPlantedAsTheContainersDirIsNeverFollowed) {
  Outside outside;
  dir_.write("one.yaml", kOne);
  fs::create_directory_symlink(outside.dir, kEtcNetns / "a");
  CmdResult r = apply();
  // It is not topo's (a symlink, no marker of its own): a conflict, nothing written.
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("conflict: file a/hosts"), std::string::npos) << r.describe();
  EXPECT_TRUE(fs::is_empty(outside.dir)) << "topo wrote through a symlink";
  EXPECT_TRUE(fs::is_symlink(kEtcNetns / "a"));
  fs::remove(kEtcNetns / "a");

  // Even if topo's mark names the very dir the symlink points at.
  struct stat st {};
  ASSERT_EQ(::stat(outside.dir.c_str(), &st), 0);
  fs::create_directories(kEtcNetns / ".topo");
  std::ofstream(kEtcNetns / ".topo" / "a") << "dev " << st.st_dev << " ino " << st.st_ino << "\n";
  fs::create_directory_symlink(outside.dir, kEtcNetns / "a");
  r = apply();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_FALSE(fs::exists(outside.dir / "hosts")) << "topo wrote through a symlink";
  fs::remove(kEtcNetns / "a");
  fs::remove_all(kEtcNetns / ".topo");
}

TEST_F(E2ETest, ASymlinkPlantedAsAFileIsReplacedNotWrittenThrough) {
  Outside outside;
  dir_.write("one.yaml", kOne);
  ASSERT_EQ(apply().exit_code, 0);
  const fs::path victim = outside.dir / "victim";
  std::ofstream(victim) << "precious\n";
  fs::remove(kEtcNetns / "a" / "hosts");
  fs::create_symlink(victim, kEtcNetns / "a" / "hosts");

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 2) << "a symlink in place of the file is drift\n" << p.describe();
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(slurp(victim), "precious\n") << "topo wrote through a symlink";
  EXPECT_FALSE(fs::is_symlink(kEtcNetns / "a" / "hosts")) << "the symlink itself should have been replaced";
  EXPECT_EQ(resolve("a", "b"), ipv4_of("b", "eth0"));
}

TEST_F(E2ETest, TheEtcNetnsDirCanBeMoved) {
  Outside outside;
  dir_.write("one.yaml", kOne);
  const std::string flag = "--etc-netns-dir=" + outside.dir.string();
  CmdResult a = topo({flag, "apply", dir_.path()});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_TRUE(fs::exists(outside.dir / "a" / "hosts"));
  EXPECT_TRUE(fs::exists(outside.dir / ".topo" / "a")) << "topo's mark of a/";
  EXPECT_FALSE(fs::exists(outside.dir / "a" / ".topo"));
  EXPECT_FALSE(fs::exists(kEtcNetns / "a"));
  CmdResult d = topo({flag, "destroy", dir_.path()});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_TRUE(fs::is_empty(outside.dir));
}

// `ip netns exec` bind-mounts every entry of /etc/netns/<name>/ over /etc:
// topo's mark lives outside that directory, so it adds nothing to mount (an
// entry with no counterpart in /etc made every exec print an error).
TEST_F(E2ETest, IpNetnsExecSeesOnlyTheFilesAndPrintsNoError) {
  dir_.write("one.yaml", kOne);
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult r = run({"ip", "netns", "exec", "a", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.err, "") << r.describe();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kEtcNetns / "a")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"hosts", "resolv.conf"}));
}

// The mark names the directory by device and inode: one someone else makes
// again under the same name is not topo's, and is left alone.
TEST_F(E2ETest, ADirectoryMadeAgainBySomeoneElseIsNotTopos) {
  dir_.write("one.yaml", kOne);
  ASSERT_EQ(apply().exit_code, 0);
  fs::remove_all(kEtcNetns / "a");
  fs::create_directory(kEtcNetns / "a");
  std::ofstream(kEtcNetns / "a" / "hosts") << "mine\n";
  CmdResult r = apply();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("conflict: file a/hosts"), std::string::npos) << r.describe();
  EXPECT_EQ(slurp(kEtcNetns / "a" / "hosts"), "mine\n");
  fs::remove_all(kEtcNetns / "a");
}

// A container's directory is made under a temporary name, marked, then
// renamed into place, so a kill never leaves it unmarked under its own name.
// What a kill leaves (the temporary directory) is cleared by the next apply.
TEST_F(E2ETest, ADirectoryLeftHalfMadeByAKillIsClearedAndMadeAgain) {
  dir_.write("one.yaml", kOne);
  fs::create_directories(kEtcNetns / ".topo-tmp-a");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_FALSE(fs::exists(kEtcNetns / ".topo-tmp-a"));
  EXPECT_TRUE(fs::exists(kEtcNetns / "a" / "hosts"));
  EXPECT_EQ(last_line(plan().out), "No changes.");
}

}  // namespace
}  // namespace topo::e2e
