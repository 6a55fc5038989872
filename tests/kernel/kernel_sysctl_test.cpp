// Sysctls: read and written per namespace through /proc/sys, never removed.
#include <linux/ipv6.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <map>

#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/private_proc.hpp"
#include "reconciler/kernel/read/dumps.hpp"
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/kernel/sysctl_ops.hpp"
#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::test {
namespace {

class KernelSysctl : public KernelTest {};

Resource sysctl(const std::string& ns, const std::string& key, const std::string& value) {
  Resource r;
  r.kind = Kind::Sysctl;
  r.ns = ns;
  r.name = key;
  r.attrs = {{attr::value, value}};
  return r;
}

// Issue 16: the per-interface IPv6 settings the kernel also reports over
// netlink, and only those, are read from its dump.
TEST_F(KernelSysctl, Ipv6InterfaceKeysAreKnownByTheirDevconfIndex) {
  auto k = kops::ipv6_devconf_key("net.ipv6.conf.eth0.accept_ra");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->ifname, "eth0");
  EXPECT_EQ(k->index, DEVCONF_ACCEPT_RA);
  auto dotted = kops::ipv6_devconf_key("net.ipv6.conf.br/1.disable_ipv6");  // the bridge "br.1"
  ASSERT_TRUE(dotted.has_value());
  EXPECT_EQ(dotted->ifname, "br.1");
  EXPECT_EQ(dotted->index, DEVCONF_DISABLE_IPV6);
  for (const char* other : {"net.ipv6.conf.all.forwarding", "net.ipv6.conf.default.accept_ra",
                            "net.ipv6.conf.eth0.stable_secret", "net.ipv4.conf.eth0.forwarding",
                            "net.ipv6.conf.eth0", "net.ipv6.route.max_size"})
    EXPECT_FALSE(kops::ipv6_devconf_key(other).has_value()) << other;
}

// Read over netlink (a container's, and the host's when a full read asks for
// many) or from /proc (a few of the host's), a setting reads the same.
TEST_F(KernelSysctl, Ipv6InterfaceSettingsReadTheSameFromTheDumpAsFromProc) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(bridge_res("br0"));
  k->create(ns_res("web"));
  k->create(veth_res("web", "eth0", "vweb", "br0"));
  ASSERT_EQ(sh("ip netns exec web sh -c 'echo 2 > /proc/sys/net/ipv6/conf/eth0/accept_ra'"), 0);
  ASSERT_EQ(sh("echo 0 > /proc/sys/net/ipv6/conf/br0/autoconf"), 0);
  std::vector<Resource> wanted{sysctl("web", "net.ipv6.conf.eth0.accept_ra", "0"),
                               sysctl("web", "net.ipv6.conf.gone.accept_ra", "0"),
                               sysctl("", "net.ipv6.conf.br0.autoconf", "1")};
  auto values = [&](const std::vector<Resource>& want) {
    std::map<std::string, std::string> out;
    for (const Resource& r : k->observe_settings(want)) out[r.key()] = r.attr(attr::value);
    return out;
  };
  const auto few = values(wanted);
  EXPECT_EQ(few.at(wanted[0].key()), "2");
  EXPECT_EQ(few.count(wanted[1].key()), 0u) << "no such interface: no setting";
  EXPECT_EQ(few.at(wanted[2].key()), "0");
  // Past 64 of the host's, the host's dump is used: the same values.
  for (int i = 0; i < 70; ++i) wanted.push_back(sysctl("", "net.ipv6.conf.lo.accept_dad", "0"));
  const auto many = values(wanted);
  EXPECT_EQ(many.at(wanted[0].key()), "2");
  EXPECT_EQ(many.at(wanted[2].key()), "0");
  EXPECT_EQ(many.at(sysctl("", "net.ipv6.conf.lo.accept_dad", "").key()) + "\n",
            sh_out("cat /proc/sys/net/ipv6/conf/lo/accept_dad"));
}

// The link dump of a full read carries every link's IPv6 settings too
// (IFLA_AF_SPEC): the same numbers as the AF_INET6 dump, and the settings
// read that follows the full read takes them instead of dumping again, so
// it sees what the full read saw; once only.
TEST_F(KernelSysctl, AFullReadsLinkDumpServesTheSettingsReadThatFollows) {
  SocketPool pool(netns_dir());
  ASSERT_EQ(sh("ip link add tb0 type bridge && echo 0 > /proc/sys/net/ipv6/conf/tb0/autoconf"), 0);
  observer::Ipv6Conf with_links;
  observer::dump_links(pool.get(""), "", &with_links);
  const observer::Ipv6Conf alone = observer::dump_ipv6_conf(pool.get(""), "");
  ASSERT_TRUE(with_links.count("tb0"));
  EXPECT_EQ(with_links, alone);
  EXPECT_EQ(with_links.at("tb0").at(DEVCONF_AUTOCONF), 0);

  auto k = make_netlink_kernel({netns_dir()});
  k->create(bridge_res("br0"));
  k->create(ns_res("web"));
  k->create(veth_res("web", "eth0", "vweb", "br0"));
  ASSERT_EQ(sh("ip netns exec web sh -c 'echo 2 > /proc/sys/net/ipv6/conf/eth0/accept_ra'"), 0);
  const std::vector<Resource> wanted{sysctl("web", "net.ipv6.conf.eth0.accept_ra", "0")};
  auto value = [&] {
    const std::vector<Resource> got = k->observe_settings(wanted);
    return got.empty() ? std::string("none") : got.front().attr(attr::value);
  };
  k->observe();
  ASSERT_EQ(sh("ip netns exec web sh -c 'echo 1 > /proc/sys/net/ipv6/conf/eth0/accept_ra'"), 0);
  EXPECT_EQ(value(), "2") << "what the full read saw, not a dump of its own";
  EXPECT_EQ(value(), "1") << "taken once: a later read dumps again";
  k->observe();
  ASSERT_EQ(sh("ip netns exec web sh -c 'echo 2 > /proc/sys/net/ipv6/conf/eth0/accept_ra'"), 0);
  k->create(ns_res("other"));
  EXPECT_EQ(value(), "2") << "a change to the kernel drops what the full read kept";
  k->observe();
  k->observe_focus(Focus{{"web"}, {}});
  ASSERT_EQ(sh("ip netns exec web sh -c 'echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_ra'"), 0);
  EXPECT_EQ(value(), "0") << "any read since drops what the full read kept";
  ASSERT_EQ(sh("ip link del tb0"), 0);
}

TEST_F(KernelSysctl, WritesAndReadsBackInTheRightNamespace) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  const std::string key = "net.ipv4.conf.all.forwarding";
  ASSERT_EQ(sh_out("ip netns exec web cat /proc/sys/net/ipv4/conf/all/forwarding"), "0\n");
  std::string host_before = sh_out("cat /proc/sys/net/ipv4/conf/all/forwarding");

  k->create(sysctl("web", key, "1"));
  EXPECT_EQ(sh_out("ip netns exec web cat /proc/sys/net/ipv4/conf/all/forwarding"), "1\n");
  EXPECT_EQ(sh_out("cat /proc/sys/net/ipv4/conf/all/forwarding"), host_before) << "leaked into the host namespace";

  auto seen = k->observe_settings({sysctl("web", key, "0"), sysctl("web", "net.ipv4.no_such_thing", "1")});
  ASSERT_EQ(seen.size(), 1u) << "a setting the kernel lacks is left out";
  EXPECT_EQ(seen[0].attr(attr::value), "1");

  k->update(seen[0], sysctl("web", key, "0"));
  EXPECT_EQ(sh_out("ip netns exec web cat /proc/sys/net/ipv4/conf/all/forwarding"), "0\n");
  k->remove(sysctl("web", key, "0"));  // a no-op: topo does not own sysctls
  EXPECT_EQ(sh_out("ip netns exec web cat /proc/sys/net/ipv4/conf/all/forwarding"), "0\n");
  k->remove(ns_res("web"));
}

// Issue 16: namespaces' settings are opened through a procfs of topo's own,
// mounted nowhere and renewed every few dozen namespaces, so a lookup does
// not walk every namespace the host's /proc ever looked up.
TEST_F(KernelSysctl, NamespacesSettingsGoThroughAProcfsOfTopoOwnMountedNowhere) {
  struct stat host_proc {};
  ASSERT_EQ(::stat("/proc", &host_proc), 0);
  const std::string procs_before = sh_out("grep -c ' - proc ' /proc/self/mountinfo");
  PrivateProc proc;
  std::set<dev_t> devices;
  for (int i = 0; i < 2 * PrivateProc::kNamespacesPerMount; ++i) {
    const int fd = proc.for_next_namespace();
    ASSERT_GE(fd, 0) << std::strerror(errno);
    ASSERT_TRUE(proc.is_private()) << "this kernel and root allow fsopen(\"proc\")";
    struct statfs fs {};
    ASSERT_EQ(::fstatfs(fd, &fs), 0);
    EXPECT_EQ(fs.f_type, PROC_SUPER_MAGIC);
    struct stat st {};
    ASSERT_EQ(::fstat(fd, &st), 0);
    EXPECT_NE(st.st_dev, host_proc.st_dev) << "the host's /proc, whose dentry chains only grow";
    devices.insert(st.st_dev);
  }
  EXPECT_EQ(devices.size(), 2u) << "a new procfs every " << PrivateProc::kNamespacesPerMount << " namespaces";
  EXPECT_EQ(sh_out("grep -c ' - proc ' /proc/self/mountinfo"), procs_before) << "attached somewhere";
}

TEST_F(KernelSysctl, EachNamespacesSettingLandsInItAcrossRenewedProcfs) {
  auto k = make_netlink_kernel({netns_dir()});
  const std::string procs_before = sh_out("grep -c ' - proc ' /proc/self/mountinfo");
  const std::string host_before = sh_out("cat /proc/sys/net/ipv6/conf/lo/accept_ra");
  const int n = PrivateProc::kNamespacesPerMount + 3;
  for (int i = 0; i < n; ++i) {
    k->create(ns_res("s" + std::to_string(i)));
    k->create(sysctl("s" + std::to_string(i), "net.ipv6.conf.lo.accept_ra", std::to_string(i % 3)));
  }
  for (int i = 0; i < n; ++i)
    EXPECT_EQ(sh_out("ip netns exec s" + std::to_string(i) + " cat /proc/sys/net/ipv6/conf/lo/accept_ra"),
              std::to_string(i % 3) + "\n")
        << "namespace s" << i;
  EXPECT_EQ(sh_out("cat /proc/sys/net/ipv6/conf/lo/accept_ra"), host_before) << "leaked into the host namespace";
  EXPECT_EQ(sh_out("grep -c ' - proc ' /proc/self/mountinfo"), procs_before) << "a procfs attached somewhere";
  for (int i = 0; i < n; ++i) k->remove(ns_res("s" + std::to_string(i)));
}

// A namespace deleted by hand and made again under the same name mostly
// gets the freed inode number back: the settings directory kept for the old
// one (checked by inode) is dead, every lookup through it ENOENT. The
// setting still lands in the namespace there now.
TEST_F(KernelSysctl, ASettingLandsInANamespaceRemadeByHandUnderTheSameInode) {
  auto k = make_netlink_kernel({netns_dir()});
  const std::string key = "net.ipv4.conf.all.forwarding";
  const std::string path = netns_dir() + "/r";
  k->create(ns_res("r"));
  k->create(sysctl("r", key, "1"));  // keeps r's ipv4 directory open
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  struct stat after {};
  for (int i = 0; i < 20; ++i) {  // the old namespace is freed by a kernel worker, a little later
    ASSERT_EQ(sh("ip netns del r && sleep 0.1 && ip netns add r"), 0);
    ASSERT_EQ(::stat(path.c_str(), &after), 0);
    if (after.st_ino == before.st_ino) break;
  }
  if (after.st_ino != before.st_ino) {
    EXPECT_EQ(sh("ip netns del r"), 0);
    GTEST_SKIP() << "the kernel did not give the old inode number back: not the case to test";
  }
  ASSERT_EQ(sh_out("ip netns exec r cat /proc/sys/net/ipv4/conf/all/forwarding"), "0\n");
  k->create(sysctl("r", key, "1"));
  EXPECT_EQ(sh_out("ip netns exec r cat /proc/sys/net/ipv4/conf/all/forwarding"), "1\n");
  const auto seen = k->observe_settings({sysctl("r", key, "0")});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].attr(attr::value), "1");
  EXPECT_EQ(sh("ip netns del r"), 0);  // made by hand: not topo's to remove
}

TEST_F(KernelSysctl, UnknownSettingIsAClearError) {
  auto k = make_netlink_kernel({netns_dir()});
  try {
    k->create(sysctl("", "net.ipv4.no_such_thing", "1"));
    FAIL() << "expected an error";
  } catch (const KernelError& e) {
    EXPECT_NE(std::string(e.what()).find("no such setting"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("net.ipv4.no_such_thing"), std::string::npos) << e.what();
  }
}

TEST_F(KernelSysctl, KeysCannotLeaveTheNetTree) {
  EXPECT_THROW(kops::sysctl_path("kernel.hostname"), KernelError);
  EXPECT_THROW(kops::sysctl_path("net.ipv4..x"), KernelError);
  EXPECT_THROW(kops::sysctl_path("net.ipv4/../../kernel"), KernelError);
  EXPECT_THROW(kops::sysctl_path("net.ipv4.conf.//.x"), KernelError);  // would be ".."
  EXPECT_THROW(kops::sysctl_path("net.ipv4.conf./.x"), KernelError);   // would be "."
  EXPECT_THROW(kops::sysctl_path("net.ipv4."), KernelError);
  // sysctl(8)'s convention: '/' is a '.' inside one name.
  EXPECT_EQ(kops::sysctl_path("net.ipv4.conf.br/1.route_localnet"), "/proc/sys/net/ipv4/conf/br.1/route_localnet");
  EXPECT_EQ(kops::sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
  // A bridge port's flag (hairpin mode, issue 15), and nothing else of sysfs.
  EXPECT_EQ(kops::sysctl_path("sys.class.net.veth1234abcd.brport.hairpin_mode"),
            "/sys/class/net/veth1234abcd/brport/hairpin_mode");
  EXPECT_THROW(kops::sysctl_path("sys.class.net.veth1.address"), KernelError);
  EXPECT_THROW(kops::sysctl_path("sys.class.net.brport.x.y"), KernelError);
  EXPECT_THROW(kops::sysctl_path("sys.class.net.../brport.hairpin_mode"), KernelError);
  EXPECT_EQ(kops::sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
}

}  // namespace
}  // namespace topo::test
