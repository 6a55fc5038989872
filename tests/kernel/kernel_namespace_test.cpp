// Namespaces: created like `ip netns add`, marked, observed, removed.
#include <sys/stat.h>

#include <sstream>
#include <string>

#include "kernel_support.hpp"
#include "reconciler/kernel/netlink_kernel.hpp"
#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::test {
namespace {

class KernelNamespace : public KernelTest {};

TEST_F(KernelNamespace, GuardSeesAPrivateNamespace) {
  EXPECT_TRUE(in_private_netns());
  EXPECT_NE(sh_out("readlink /proc/self/ns/net"), "net:[4026531833]\n");
}

TEST_F(KernelNamespace, CreateObserveRemove) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));

  // Usable by iproute2 exactly like its own namespaces.
  EXPECT_EQ(sh("ip netns exec web true"), 0);
  EXPECT_NE(sh_out("ip netns exec web ip link show lo").find("UP"), std::string::npos);
  EXPECT_NE(sh_out("ip -n web -d link show lo").find("alias topo-ns:web"), std::string::npos);

  const Observed o = k->observe();
  const Resource* ns = find(o, ns_res("web").key());
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(*ns, ns_res("web"));
  EXPECT_EQ(ns->origin, "container/web");
  EXPECT_TRUE(o.foreign.empty()) << *o.foreign.begin();

  k->remove(ns_res("web"));
  struct stat st {};
  EXPECT_NE(::stat((netns_dir() + "/web").c_str(), &st), 0);
  EXPECT_EQ(find(k->observe(), ns_res("web").key()), nullptr);
}

TEST_F(KernelNamespace, LinksDieWithTheirNamespace) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  k->create(bridge_res("br0"));
  k->create(veth_res("web", "eth0", "vweb0", "br0"));
  ASSERT_EQ(sh("ip link show vweb0"), 0);
  k->remove(ns_res("web"));
  k->commit();  // the end of a run: sockets into removed namespaces are closed by then
  // The kernel object must not keep the namespace alive through its socket.
  // Namespace teardown is asynchronous in the kernel: give it a moment.
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) gone = sh("ip link show vweb0 || { sleep 0.1; false; }") != 0;
  EXPECT_TRUE(gone) << "host end survived its namespace";
}

TEST_F(KernelNamespace, CreateTwiceIsFineWhenOurs) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  EXPECT_NO_THROW(k->create(ns_res("web")));
}

TEST_F(KernelNamespace, ForeignNamespaceIsNotTakenOverNorLookedInto) {
  ASSERT_EQ(sh("ip netns add other && ip netns exec other ip link add dummyish type bridge"), 0);
  auto k = make_netlink_kernel({netns_dir()});
  const Observed o = k->observe();
  EXPECT_EQ(o.foreign.count(ns_res("other").key()), 1u);
  EXPECT_EQ(find(o, ns_res("other").key()), nullptr);
  for (const auto& r : o.owned) EXPECT_NE(r.ns, "other") << r.key();

  try {
    k->create(ns_res("other"));
    FAIL() << "took over a foreign namespace";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EEXIST) << e.what();
  }
  try {
    k->remove(ns_res("other"));
    FAIL() << "removed a foreign namespace";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EPERM) << e.what();
  }
  EXPECT_EQ(sh("ip netns exec other true"), 0);
}

TEST_F(KernelNamespace, StaleFileIsForeign) {
  ASSERT_EQ(sh("mkdir -p " + netns_dir() + " && touch " + netns_dir() + "/stale"), 0);
  auto k = make_netlink_kernel({netns_dir()});
  const Observed o = k->observe();
  EXPECT_EQ(o.foreign.count(ns_res("stale").key()), 1u);
}

TEST_F(KernelNamespace, RemoveMissingIsFine) {
  auto k = make_netlink_kernel({netns_dir()});
  EXPECT_NO_THROW(k->remove(ns_res("nothere")));
}

TEST_F(KernelNamespace, OpenRejectsNonNetns) {
  EXPECT_NO_THROW(netns::open("/proc/self/ns/net"));
  try {
    netns::open("/proc/self/ns/mnt");
    FAIL() << "a mount namespace was accepted";
  } catch (const KernelError& e) {
    EXPECT_EQ(e.err(), EINVAL);
  }
}

// The mount's propagation as /proc/self/mountinfo shows it: "shared" when
// its optional fields hold a peer group, "private" when they hold none.
std::string propagation_of(const std::string& mount_point) {
  std::istringstream lines(sh_out("cat /proc/self/mountinfo"));
  std::string line, found = "not mounted";
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, point, opts, field;
    fields >> id >> parent >> dev >> root >> point >> opts;
    if (point != mount_point) continue;
    found = "private";
    while (fields >> field && field != "-")
      if (field.rfind("shared:", 0) == 0) found = "shared";
  }
  return found;
}

// Issue 16: the recursive walk over every namespace mounted in the dir is
// made once per process and dir; later creates make only the dir shared
// (what is attached below a shared mount is shared by the kernel).
TEST_F(KernelNamespace, TheNetnsDirIsMadeSharedRecursivelyOnceThenOnlyItself) {
  const std::string dir = "/run/topo-test-shared-dir";
  ASSERT_EQ(sh("mkdir -p " + dir + " && mount -t tmpfs topo-test " + dir + " && mkdir " + dir +
               "/sub && mount -t tmpfs topo-test-sub " + dir + "/sub"),
            0);
  ASSERT_EQ(propagation_of(dir), "private") << "the sandbox's mounts are private";
  ASSERT_EQ(propagation_of(dir + "/sub"), "private");

  netns::ensure_shared_dir(dir);
  EXPECT_EQ(propagation_of(dir), "shared");
  EXPECT_EQ(propagation_of(dir + "/sub"), "shared") << "the first time is recursive, as `ip netns add`";

  ASSERT_EQ(sh("mount --make-rprivate " + dir), 0);
  netns::ensure_shared_dir(dir);
  EXPECT_EQ(propagation_of(dir), "shared") << "made private by hand: shared again";
  EXPECT_EQ(propagation_of(dir + "/sub"), "private") << "no walk below it the second time";

  netns::create(dir, "fresh");
  EXPECT_EQ(propagation_of(dir + "/fresh"), "shared") << "mounted below a shared dir";
  netns::remove(dir, "fresh");
  EXPECT_EQ(sh("umount " + dir + "/sub && umount " + dir), 0);

  // Unmounted in between (the dir no longer a mount point, something
  // mounted below it): bound onto itself again, and walked again, as the
  // first time.
  ASSERT_EQ(sh("mkdir " + dir + "/sub && mount -t tmpfs topo-test-sub " + dir + "/sub"), 0);
  ASSERT_EQ(propagation_of(dir), "not mounted");
  netns::ensure_shared_dir(dir);
  EXPECT_EQ(propagation_of(dir), "shared");
  EXPECT_EQ(propagation_of(dir + "/sub"), "shared") << "bound again: walked again";
  EXPECT_EQ(sh("umount -R " + dir + " && umount " + dir + "/sub && rmdir " + dir + "/sub " + dir), 0);
}

}  // namespace
}  // namespace topo::test

namespace topo::test {
namespace {

// A namespace deleted behind topo's back must really go: the kernel object's
// cached socket must not keep it (and its veth pairs) alive.
TEST_F(KernelNamespace, HandDeletedNamespaceIsNotKeptAlive) {
  auto k = make_netlink_kernel({netns_dir()});
  k->create(ns_res("web"));
  k->create(veth_res("web", "eth0", "vweb0", ""));
  ASSERT_NE(find(k->observe(), veth_res("web", "eth0", "", "").key()), nullptr);
  ASSERT_EQ(sh("ip netns del web"), 0);
  const Observed o = k->observe();
  EXPECT_EQ(find(o, ns_res("web").key()), nullptr);
  EXPECT_EQ(find(o, veth_res("web", "eth0", "", "").key()), nullptr);
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) gone = sh("ip link show vweb0 || { sleep 0.1; false; }") != 0;
  EXPECT_TRUE(gone) << "the deleted namespace is kept alive";
  // And it can be made again under the same name.
  EXPECT_NO_THROW(k->create(ns_res("web")));
  EXPECT_NO_THROW(k->create(veth_res("web", "eth0", "vweb0", "")));
}

}  // namespace
}  // namespace topo::test
