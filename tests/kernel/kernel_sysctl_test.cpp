// Sysctls: read and written per namespace through /proc/sys, never removed.
#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
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
