// Issue 3, done-when 1 and 6: network modes none, host, container:<name>
// and adopted namespaces, checked on the kernel.
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

std::string netns_dir() {
  const char* d = std::getenv("TOPO_NETNS_DIR");
  return d ? d : "/run/netns";
}

// The nsfs inode a path shows (0 when it cannot be stat'ed).
unsigned long inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::vector<std::string> link_names(const std::string& ns) {
  std::vector<std::string> out;
  for (const auto& l : ip_json({"-n", ns, "link", "show"})) out.push_back(l.value("ifname", ""));
  return out;
}

// A process holding a network namespace topo did not make, as another
// runtime's container would; killed when this goes away.
class NamespaceHolder {
 public:
  NamespaceHolder() {
    CmdResult spawn = sh("unshare -n sleep 300 >/dev/null 2>&1 & echo $!");
    if (spawn.exit_code != 0) return;
    pid_ = std::stoi(spawn.out);
    for (int i = 0; i < 50 && !ok(); ++i) ::usleep(20000);
  }
  ~NamespaceHolder() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  NamespaceHolder(const NamespaceHolder&) = delete;
  NamespaceHolder& operator=(const NamespaceHolder&) = delete;
  std::string path() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }
  // It has a namespace of its own (unshare has run).
  bool ok() const { return pid_ > 0 && inode(path()) != 0 && inode(path()) != inode("/proc/self/ns/net"); }

 private:
  int pid_ = 0;
};

class E2EModes : public E2ETest {};

TEST_F(E2EModes, NoneHostAndContainerModes) {
  dir_.write("t.yaml", R"(version: 1
networks:
  - {name: n1, subnet: 172.31.0.0/24}
containers:
  - name: app
  - name: quiet
    network_mode: none
  - name: onhost
    network_mode: host
  - name: a-sidecar
    network_mode: container:app
  - name: b-second
    network_mode: container:a-sidecar
attachments:
  - {container: app, network: n1, ipv4: 172.31.0.10}
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();

  // none: only lo, up.
  auto quiet = ip_json({"-n", "quiet", "link", "show"});
  ASSERT_EQ(quiet.size(), 1u) << quiet.dump();
  EXPECT_EQ(quiet[0].value("ifname", ""), "lo");
  bool up = false;
  for (const auto& f : quiet[0].value("flags", nlohmann::json::array())) up |= f == "UP";
  EXPECT_TRUE(up) << quiet.dump();

  // host: the very namespace topo runs in.
  EXPECT_NE(inode(netns_dir() + "/onhost"), 0u);
  EXPECT_EQ(inode(netns_dir() + "/onhost"), inode("/proc/self/ns/net"));

  // container: (and a chain through it) is app's namespace: same inode,
  // same interfaces and addresses.
  EXPECT_EQ(inode(netns_dir() + "/a-sidecar"), inode(netns_dir() + "/app"));
  EXPECT_EQ(inode(netns_dir() + "/b-second"), inode(netns_dir() + "/app"));
  EXPECT_EQ(ipv4_of("a-sidecar", "eth0"), "172.31.0.10") << kernel_snapshot();
  EXPECT_EQ(ipv4_of("b-second", "eth0"), "172.31.0.10");
  EXPECT_EQ(link_names("a-sidecar"), link_names("app"));

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << "a second plan must find nothing to do\n" << p.describe();

  // Dropping the sidecar only unmounts its entry: app keeps its namespace.
  dir_.write("t.yaml", R"(version: 1
networks:
  - {name: n1, subnet: 172.31.0.0/24}
containers:
  - name: app
  - name: quiet
    network_mode: none
  - name: onhost
    network_mode: host
attachments:
  - {container: app, network: n1, ipv4: 172.31.0.10}
)");
  CmdResult pruned = apply();
  ASSERT_EQ(pruned.exit_code, 0) << pruned.describe();
  EXPECT_EQ(inode(netns_dir() + "/a-sidecar"), 0u);
  EXPECT_EQ(ipv4_of("app", "eth0"), "172.31.0.10") << "app lost its namespace\n" << kernel_snapshot();

  const unsigned long host_before = inode("/proc/self/ns/net");
  CmdResult d = destroy();
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_TRUE(netns_list().empty()) << kernel_snapshot();
  EXPECT_EQ(inode("/proc/self/ns/net"), host_before);
  EXPECT_TRUE(link_exists("", "lo")) << "the host's namespace must survive destroy";
}

TEST_F(E2EModes, HostLoopbackIsNeverMarked) {
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - name: onhost\n    network_mode: host\n");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto lo = link_json("", "lo");
  ASSERT_FALSE(lo.is_null());
  EXPECT_EQ(lo.value("ifalias", ""), "") << "topo put a mark on the host's own lo";
}

TEST_F(E2EModes, AdoptedNamespaceIsWiredAndSurvivesDestroy) {
  // A "runtime" process holding a namespace topo did not make.
  NamespaceHolder holder;
  ASSERT_TRUE(holder.ok()) << "the helper never got its own namespace";
  const std::string path = holder.path();

  dir_.write("t.yaml", R"(version: 1
networks:
  - {name: n1, subnet: 172.32.0.0/24}
containers:
  - name: adopted
    netns: )" + path + R"(
  - name: peer
attachments:
  - {container: adopted, network: n1, ipv4: 172.32.0.5}
  - {container: peer, network: n1, ipv4: 172.32.0.6}
)");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(inode(netns_dir() + "/adopted"), inode(path));
  CmdResult inside = sh("nsenter --net=" + path + " ip -4 -br addr show eth0");
  EXPECT_NE(inside.out.find("172.32.0.5/24"), std::string::npos) << inside.describe();
  EXPECT_TRUE(ping("peer", "172.32.0.5")) << kernel_snapshot();

  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << p.describe();

  CmdResult d = destroy();
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  EXPECT_NE(inode(path), 0u) << "the adopted namespace's owner died?";
  CmdResult after = sh("nsenter --net=" + path + " ip -br link show");
  EXPECT_EQ(after.exit_code, 0) << "the adopted namespace did not survive destroy\n" << after.describe();
  EXPECT_EQ(after.out.find("eth0"), std::string::npos) << "topo's interface was left in it\n" << after.out;
  EXPECT_TRUE(netns_list().empty()) << "topo's entry (and marks) should be gone";
}

// A container: entry binds its target's namespace of the moment: when the
// target's entry is made anew (here it turns from topo's own namespace into
// an adopted one), the joiner follows in the same apply.
TEST_F(E2EModes, AJoinerFollowsItsTargetWhenTheTargetIsMadeAnew) {
  NamespaceHolder holder;
  ASSERT_TRUE(holder.ok()) << "the helper never got its own namespace";
  const std::string path = holder.path();

  dir_.write("t.yaml", "version: 1\ncontainers:\n  - name: app\n  - {name: side, network_mode: \"container:app\"}\n");
  ASSERT_EQ(apply().exit_code, 0);
  ASSERT_EQ(inode(netns_dir() + "/side"), inode(netns_dir() + "/app"));
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - {name: app, netns: " + path +
                           "}\n  - {name: side, network_mode: \"container:app\"}\n");
  CmdResult a = apply();
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(inode(netns_dir() + "/app"), inode(path));
  EXPECT_EQ(inode(netns_dir() + "/side"), inode(path)) << "the joiner still binds the old namespace\n" << a.describe();
  CmdResult p = plan({"--detailed-exitcode"});
  EXPECT_EQ(p.exit_code, 0) << p.describe();
}

TEST_F(E2EModes, AdoptingSomethingThatIsNotANetworkNamespaceFailsCleanly) {
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - name: bogus\n    netns: /proc/self/ns/mnt\n  - name: fine\n");
  const std::string before = kernel_snapshot();
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.all().find("not a network namespace"), std::string::npos) << a.describe();
  EXPECT_EQ(kernel_snapshot(), before) << "a failed apply must roll back";
}

// Issue 12: `netns: /proc/self/ns/net` put eth0 and a default route into the
// host's namespace. Spellings the loader cannot know (this test's own pid,
// a symlink) resolve to topo's namespace too: refused by the preflight, which
// compares inodes, and nothing changes. (Never /proc/1: without a pid
// namespace of its own, the sandbox's pid 1 is the machine's init.)
TEST_F(E2EModes, AdoptingTheNamespaceTopoRunsInIsRefusedAndChangesNothing) {
  const std::string by_pid = "/proc/" + std::to_string(::getpid()) + "/ns/net";
  ASSERT_EQ(inode(by_pid), inode("/proc/self/ns/net"));
  const std::string link = dir_.path() + "/.selfns";
  ASSERT_EQ(::symlink("/proc/self/ns/net", link.c_str()), 0);
  for (const std::string& target : {by_pid, link}) {
    dir_.write("t.yaml", R"(version: 1
networks:
  - {name: n1, subnet: 172.33.0.0/24}
containers:
  - name: hostile
    netns: )" + target + R"(
attachments:
  - {container: hostile, network: n1}
)");
    const std::string before = kernel_snapshot();
    CmdResult p = plan();
    EXPECT_EQ(p.exit_code, 1) << target << "\n" << p.describe();
    CmdResult a = apply();
    EXPECT_EQ(a.exit_code, 1) << target << "\n" << a.describe();
    EXPECT_NE(a.all().find("container hostile: netns " + target + " is the network namespace topo itself runs in"),
              std::string::npos)
        << a.describe();
    EXPECT_NE(a.all().find("nothing was changed"), std::string::npos) << a.describe();
    EXPECT_EQ(kernel_snapshot(), before) << target << ": apply changed the kernel";
    EXPECT_TRUE(link_json("", "eth0").is_null()) << "eth0 landed in topo's own namespace";
  }
  dir_.write("t.yaml", "version: 1\n");  // so TearDown's destroy has a manifest
}

// Two containers adopting one namespace by two spellings, or a container
// adopting another container's entry: refused with the other's name.
TEST_F(E2EModes, AdoptingAnotherContainersNamespaceIsRefused) {
  NamespaceHolder holder;
  ASSERT_TRUE(holder.ok()) << "the helper never got its own namespace";
  const std::string path = holder.path();
  const std::string task_path = path.substr(0, path.size() - std::string("/ns/net").size()) + "/task/" +
                                path.substr(6, path.size() - 6 - 7) + "/ns/net";
  ASSERT_EQ(inode(task_path), inode(path)) << task_path;
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - {name: one, netns: " + path + "}\n  - {name: two, netns: " +
                           task_path + "}\n");
  std::string before = kernel_snapshot();
  CmdResult a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.all().find("container two: netns " + task_path + " is the namespace container one already adopts"),
            std::string::npos)
      << a.describe();
  EXPECT_EQ(kernel_snapshot(), before);

  // A managed container, then another adopting its entry through a symlink
  // (so the loader cannot tell from the string; only the inode tells).
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - name: owned\n");
  ASSERT_EQ(apply().exit_code, 0);
  const std::string entry = dir_.path() + "/.owned-link";
  ASSERT_EQ(::symlink((netns_dir() + "/owned").c_str(), entry.c_str()), 0);
  dir_.write("t.yaml", "version: 1\ncontainers:\n  - name: owned\n  - {name: thief, netns: " + entry + "}\n");
  before = kernel_snapshot();
  a = apply();
  EXPECT_EQ(a.exit_code, 1) << a.describe();
  EXPECT_NE(a.all().find("container thief: netns " + entry + " is the namespace of container owned"),
            std::string::npos)
      << a.describe();
  EXPECT_EQ(kernel_snapshot(), before);
}

}  // namespace
}  // namespace topo::e2e
