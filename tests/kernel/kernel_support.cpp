#include "kernel_support.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "reconciler/kernel/netns.hpp"
#include "reconciler/resources/ownership.hpp"

namespace topo::test {

bool in_private_netns() {
  // The initial network namespace always has this inode (PROC_NET_INIT_INO);
  // PID 1's namespace is often unreadable (ptrace rules), so it is only an
  // extra check when it can be read.
  constexpr ino_t kInitNetInode = 0xEFFFFFF9U;
  struct stat self {}, init {};
  if (::stat("/proc/self/ns/net", &self) != 0) return false;
  if (self.st_ino == kInitNetInode) return false;
  if (::stat("/proc/1/ns/net", &init) == 0 && self.st_ino == init.st_ino && self.st_dev == init.st_dev)
    return false;
  return true;
}

namespace {

// Checked before any test runs, so that even a test that forgot the fixture
// cannot touch the machine's own network.
class SandboxGuard : public ::testing::Environment {
 public:
  void SetUp() override {
    if (in_private_netns()) return;
    std::fprintf(stderr,
                 "\n*** REFUSING TO RUN: this process is in the machine's own network namespace.\n"
                 "*** Run the kernel tests through tests/sandbox.sh (ctest does so).\n\n");
    std::fflush(stderr);
    std::_Exit(125);
  }
};
const auto* const kGuard = ::testing::AddGlobalTestEnvironment(new SandboxGuard);

}  // namespace

int sh(const std::string& cmd, std::string* out) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(("{ " + cmd + "\n} 2>&1").c_str(), "r"), ::pclose);
  if (!p) return -1;
  std::string text;
  std::array<char, 4096> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p.get())) text.append(buf.data(), n);
  const int status = ::pclose(p.release());
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string sh_out(const std::string& cmd) {
  std::string out;
  sh(cmd, &out);
  return out;
}

std::string netns_dir() {
  const char* d = std::getenv("TOPO_NETNS_DIR");
  return d && *d ? d : "/run/netns";
}

Resource ns_res(const std::string& name) {
  Resource r;
  r.kind = Kind::Namespace;
  r.name = name;
  r.attrs[attr::lo] = "up";
  r.origin = "container/" + name;
  return r;
}

Resource bridge_res(const std::string& name, const std::string& mtu, const std::string& mac) {
  Resource r;
  r.kind = Kind::Link;
  r.name = name;
  r.attrs = {{attr::type, "bridge"}, {attr::mtu, mtu}, {attr::state, "up"}};
  if (!mac.empty()) r.attrs[attr::mac] = mac;
  r.origin = "network/" + name;
  return r;
}

Resource veth_res(const std::string& ns, const std::string& name, const std::string& peer,
                  const std::string& master, const std::string& mtu, const std::string& mac) {
  Resource r;
  r.kind = Kind::Link;
  r.ns = ns;
  r.name = name;
  r.attrs = {{attr::type, "veth"}, {attr::mtu, mtu}, {attr::state, "up"}, {attr::peer, peer}};
  if (!master.empty()) r.attrs[attr::master] = master;
  if (!mac.empty()) r.attrs[attr::mac] = mac;
  r.origin = "attachment/" + ns + "/" + name;
  return r;
}

Resource addr_res(const std::string& ns, const std::string& dev, const std::string& cidr) {
  Resource r;
  r.kind = Kind::Address;
  r.ns = ns;
  r.name = dev + "/" + cidr;
  r.attrs = {{attr::dev, dev}, {attr::address, cidr}};
  return r;
}

Resource route_res(const std::string& ns, const std::string& name, const std::string& dev,
                   const std::string& via) {
  Resource r;
  r.kind = Kind::Route;
  r.ns = ns;
  r.name = name;
  if (!dev.empty()) r.attrs[attr::dev] = dev;
  if (!via.empty()) r.attrs[attr::via] = via;
  return r;
}

const Resource* find(const Observed& o, const std::string& key) {
  for (const auto& r : o.owned)
    if (r.key() == key) return &r;
  return nullptr;
}

void KernelTest::SetUp() {
  ASSERT_TRUE(in_private_netns()) << "refusing to touch the machine's own network: run via tests/sandbox.sh";
}

void KernelTest::TearDown() {
  if (!in_private_netns()) return;
  // Everything here lives in this process's private namespaces; clear it so
  // the next test in the same process starts from scratch.
  for (const auto& name : netns::list(netns_dir())) netns::remove(netns_dir(), name);
  sh("ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -vx lo | "
     "while read -r l; do ip link del \"$l\" 2>/dev/null; done");
}

}  // namespace topo::test
