// The least a cold apply of bench/gen.py's topology must ask of the kernel,
// and nothing else: the objects topo's apply makes, one request at a time,
// each ack checked, in topo's order (namespaces, bridges, veths, addresses,
// routes, settings, files), with no reading, planning or state of its own.
// It prints the elapsed time, so that the README can set the growth of
// topo's cold apply per container from N = 1000 to N = 10 000 against the
// kernel's own growth on the same machine (bench/bench.sh builds it,
// bench/variant.sh runs it in a sandbox of its own and records it).
//
// For N containers c0000.. over N/25 networks (names and addresses as
// bench/gen.py's: network i = 10.(200 + i/256).(i%256).0/24, gateway .1,
// container k of a network .(k+2)):
//   - the host: net.ipv4.ip_forward = 1;
//   - per network: a bridge br-nXX (mtu 1500, its MAC set, as topo does, up),
//     its gateway .1/24, net.ipv6.conf.br-nXX.accept_ra = autoconf = 0;
//   - per container: a named namespace made as `ip netns add` makes it (an
//     empty file in $TOPO_NETNS_DIR, default /run/netns, the namespace of an
//     unshare(CLONE_NEWNET) bind-mounted onto it; the dir made a shared
//     mount point once) with lo up; a veth pair made from the host, eth0
//     (MAC 02:42:<its address>, mtu 1500) directly inside the namespace, the
//     host end vhNNNN made down in the bridge, its disable_ipv6 = 1 written,
//     then up; eth0 up, its address .k/24 and the default route via the
//     gateway; the host end's accept_ra = autoconf = 0, eth0's accept_ra =
//     autoconf = 0 (opened inside the namespace through a procfs of its own,
//     renewed every 32 namespaces, as topo's PrivateProc: through the host's
//     /proc each lookup walks every namespace looked up before); hosts and
//     resolv.conf in $TOPO_ETC_NETNS_DIR/cNNNN (default /etc/netns), hosts
//     as topo writes it (the network's members), resolv.conf the host's
//     nameserver, search and options lines.
// Left out, as topo's own overhead rather than the kernel's: topo's
// ownership marks (link aliases, the link group, route protocol 116 - plain
// `boot` here -, the marks dir of /etc/netns), its read of the kernel before
// and after, its files' temporaries and renames, its netns dir made shared
// again before each namespace. Left out too: topo's firewall (the nftables
// table inet topo: a few rules per network, none per container). One
// thread: the namespace is unshared by the process itself, which then goes
// back (topo: a thread of its own each), and topo may run parts in threads.
//
// Usage: apply_floor N         (N a multiple of 25, as for gen.py; run it
// only inside tests/sandbox.sh: it refuses the machine's own namespace)
// Prints "N containers over M networks: T ms" (each phase's time on stderr).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/mount.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PER_NETWORK 25
#define NS_PER_PROCFS 32  // topo's PrivateProc::kNamespacesPerMount

static int host_ns;              // this process's own network namespace
static struct mnl_socket* host;  // route socket there
static unsigned seq;

static void die(const char* what, const char* name) {
  fprintf(stderr, "apply_floor: %s %s: %s\n", what, name, strerror(errno));
  exit(1);
}

// bench/gen.py's names and addresses.
static unsigned addr_of(int net, int host_byte) {  // 10.(200 + i/256).(i%256).host_byte
  return htonl(10u << 24 | (200u + net / 256) << 16 | (unsigned)(net % 256) << 8 | (unsigned)host_byte);
}
static void ntoa(unsigned a, char* out) { inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN); }
static void mac_of(unsigned a, unsigned char mac[6]) {  // 02:42:<address>, topo's
  mac[0] = 0x02, mac[1] = 0x42;
  memcpy(mac + 2, &a, 4);
}

// One request, and its replies up to the ack; an error ack is fatal.
static void request(struct mnl_socket* nl, struct nlmsghdr* h, mnl_cb_t cb, void* data, const char* what,
                    const char* name) {
  if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0) die(what, name);
  static char reply[32768];
  int ret;
  do {
    ssize_t n = mnl_socket_recvfrom(nl, reply, sizeof reply);
    if (n < 0) die(what, name);
    ret = mnl_cb_run(reply, n, h->nlmsg_seq, mnl_socket_get_portid(nl), cb, data);
  } while (ret > 0);
  if (ret < 0) die(what, name);
}

static struct nlmsghdr* start(char* buf, int type, int flags) {
  struct nlmsghdr* h = mnl_nlmsg_put_header(buf);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  h->nlmsg_seq = ++seq;
  return h;
}

// A route socket in the calling thread's current namespace.
static struct mnl_socket* route_socket(const char* where) {
  struct mnl_socket* nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) die("route socket in", where);
  return nl;
}

static void link_up(struct mnl_socket* nl, const char* name) {
  char buf[256];
  struct nlmsghdr* h = start(buf, RTM_NEWLINK, 0);
  struct ifinfomsg* ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
  ifi->ifi_flags = ifi->ifi_change = IFF_UP;
  mnl_attr_put_strz(h, IFLA_IFNAME, name);
  request(nl, h, NULL, NULL, "set up", name);
}

static int take_index(const struct nlmsghdr* h, void* index) {
  *(int*)index = ((const struct ifinfomsg*)mnl_nlmsg_get_payload(h))->ifi_index;
  return MNL_CB_OK;
}
static int link_index(struct mnl_socket* nl, const char* name) {
  char buf[256];
  struct nlmsghdr* h = start(buf, RTM_GETLINK, 0);
  mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
  mnl_attr_put_strz(h, IFLA_IFNAME, name);
  mnl_attr_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  int index = 0;
  request(nl, h, take_index, &index, "look up", name);
  if (index <= 0) errno = ENODEV, die("look up", name);
  return index;
}

static void add_address(struct mnl_socket* nl, int index, unsigned a, const char* name) {
  char buf[256];
  struct nlmsghdr* h = start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  struct ifaddrmsg* ifa = mnl_nlmsg_put_extra_header(h, sizeof *ifa);
  *ifa = (struct ifaddrmsg){.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = index};
  mnl_attr_put_u32(h, IFA_LOCAL, a);
  mnl_attr_put_u32(h, IFA_ADDRESS, a);
  request(nl, h, NULL, NULL, "add address on", name);
}

// A setting written through DIR (a /proc/sys/net/<family> directory).
static void write_setting(int dir, const char* path, const char* value) {
  int fd = openat(dir, path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value)) die("write", path);
  close(fd);
}
static void ipv6_settings(int ipv6, const char* link, const char* const* keys, const char* value) {
  char path[64];
  for (; *keys; ++keys) {
    snprintf(path, sizeof path, "conf/%s/%s", link, *keys);
    write_setting(ipv6, path, value);
  }
}
static const char* const no_ra[] = {"accept_ra", "autoconf", NULL};
static const char* const no_ipv6[] = {"disable_ipv6", NULL};

// A procfs of its own, attached nowhere, renewed every NS_PER_PROCFS uses.
static int private_proc(void) {
  static int proc = -1, uses;
  if (proc < 0 || uses == NS_PER_PROCFS) {
    if (proc >= 0) close(proc);
    int fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
    if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) die("fsopen", "proc");
    proc = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    if (proc < 0) die("fsmount", "proc");
    close(fs);
    uses = 0;
  }
  ++uses;
  return proc;
}

static void enter(int dir, const char* name) {
  int ns = openat(dir, name, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) die("enter namespace", name);
  close(ns);
}
static void leave(void) {
  if (setns(host_ns, CLONE_NEWNET) < 0) die("return to", "the host namespace");
}

static const char* dir_from(const char* env, const char* fallback) {
  return getenv(env) && *getenv(env) ? getenv(env) : fallback;
}
static int open_dir(const char* path) {
  if (mkdir(path, 0755) < 0 && errno != EEXIST) die("mkdir", path);
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) die("open", path);
  return fd;
}

// Like iproute2 and topo: the netns dir a shared mount point (bound onto
// itself first when it is none), so that namespaces' mounts propagate.
static void share_netns_dir(const char* path) {
  if (mount("", path, "none", MS_SHARED | MS_REC, NULL) == 0) return;
  if (errno != EINVAL || mount(path, path, "none", MS_BIND | MS_REC, NULL) < 0 ||
      mount("", path, "none", MS_SHARED | MS_REC, NULL) < 0)
    die("make shared", path);
}

static void write_file(int etc, const char* name, const char* file, const char* text) {
  char path[64];
  snprintf(path, sizeof path, "%s/%s", name, file);
  int fd = openat(etc, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) die("write", path);
  close(fd);
}

// The host's nameserver, search and options lines, as topo carries them over.
static void host_resolv(char* out, size_t room) {
  size_t used = (size_t)snprintf(out, room, "# Written by bench/apply_floor.c\n");
  FILE* f = fopen("/etc/resolv.conf", "r");
  char line[512];
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "nameserver", 10) || !strncmp(line, "search", 6) || !strncmp(line, "options", 7))
      used += (size_t)snprintf(out + used, used < room ? room - used : 0, "%s", line);
  if (f) fclose(f);
  if (used >= room) errno = E2BIG, die("read", "/etc/resolv.conf");
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (argc != 2 || n < PER_NETWORK || n % PER_NETWORK || n > 20000) {
    fprintf(stderr, "usage: apply_floor N  (N a multiple of %d, at most 20000; inside tests/sandbox.sh)\n",
            PER_NETWORK);
    return 2;
  }
  int networks = n / PER_NETWORK;
  // As tests/sandbox.sh checks: never the machine's own network namespace.
  struct stat self, init;
  if (stat("/proc/self/ns/net", &self) < 0) die("stat", "/proc/self/ns/net");
  if (self.st_ino == 4026531833u ||  // PROC_NET_INIT_INO
      (stat("/proc/1/ns/net", &init) == 0 && init.st_ino == self.st_ino)) {
    fprintf(stderr, "apply_floor: in the machine's own network namespace; run it inside tests/sandbox.sh\n");
    return 2;
  }
  // A route socket per namespace, kept as topo keeps them (SocketPool).
  struct rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur < (rlim_t)n + 64)
    errno = EMFILE, die("raise the open files limit to N + 64 for", argv[1]);
  struct mnl_socket** ns_sock = calloc((size_t)n, sizeof *ns_sock);
  int* bridge = calloc((size_t)networks, sizeof *bridge);
  int* eth0 = calloc((size_t)n, sizeof *eth0);  // its index in its namespace
  char resolv[4096], hosts[4096], name[32], peer[32], text[INET_ADDRSTRLEN], buf[512];
  host_resolv(resolv, sizeof resolv);

  double t0 = now_ms(), mark = t0;
  static const char* phase_names[] = {"namespaces", "bridges", "veths", "addresses", "routes", "settings", "files"};
  double phase_ms[7];
  int phase = 0;
#define PHASE_DONE() (phase_ms[phase++] = now_ms() - mark, mark = now_ms())

  host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_ns < 0) die("open", "/proc/self/ns/net");
  host = route_socket("the host namespace");
  const char* netns_path = dir_from("TOPO_NETNS_DIR", "/run/netns");
  int netns_dir = open_dir(netns_path);
  share_netns_dir(netns_path);

  // Namespaces: file, unshare, lo up from inside, bind mount, back home.
  for (int j = 0; j < n; ++j) {
    snprintf(name, sizeof name, "c%04d", j);
    int fd = openat(netns_dir, name, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) die("create netns file", name);
    close(fd);
    if (unshare(CLONE_NEWNET) < 0) die("unshare for", name);
    ns_sock[j] = route_socket(name);
    link_up(ns_sock[j], "lo");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", netns_path, name);
    if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) die("bind mount", path);
    leave();
  }
  PHASE_DONE();

  // Bridges, made up.
  for (int i = 0; i < networks; ++i) {
    snprintf(name, sizeof name, "br-n%02d", i);
    struct nlmsghdr* h = start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    struct ifinfomsg* ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
    ifi->ifi_flags = ifi->ifi_change = IFF_UP;
    unsigned char mac[6];
    mac_of(addr_of(i, 1), mac);
    mnl_attr_put_strz(h, IFLA_IFNAME, name);
    mnl_attr_put_u32(h, IFLA_MTU, 1500);
    mnl_attr_put(h, IFLA_ADDRESS, 6, mac);
    struct nlattr* info = mnl_attr_nest_start(h, IFLA_LINKINFO);
    mnl_attr_put_strz(h, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(h, info);
    request(host, h, NULL, NULL, "create bridge", name);
    bridge[i] = link_index(host, name);
  }
  PHASE_DONE();

  // Veths: the host end made down in its bridge, eth0 in the namespace; the
  // host end's IPv6 off before it comes up, then both ends up.
  int host_ipv6 = open("/proc/sys/net/ipv6", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (host_ipv6 < 0) die("open", "/proc/sys/net/ipv6");
  for (int j = 0; j < n; ++j) {
    snprintf(name, sizeof name, "c%04d", j);
    snprintf(peer, sizeof peer, "vh%04d", j);
    int target = openat(netns_dir, name, O_RDONLY | O_CLOEXEC);
    if (target < 0) die("open netns", name);
    struct nlmsghdr* h = start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    struct ifinfomsg* ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
    ifi->ifi_change = IFF_UP;  // down
    mnl_attr_put_strz(h, IFLA_IFNAME, peer);
    mnl_attr_put_u32(h, IFLA_MTU, 1500);
    mnl_attr_put_u32(h, IFLA_MASTER, (unsigned)bridge[j / PER_NETWORK]);
    struct nlattr* info = mnl_attr_nest_start(h, IFLA_LINKINFO);
    mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
    struct nlattr* data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
    struct nlattr* other = mnl_attr_nest_start(h, VETH_INFO_PEER);
    mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
    unsigned char mac[6];
    mac_of(addr_of(j / PER_NETWORK, j % PER_NETWORK + 2), mac);
    mnl_attr_put_strz(h, IFLA_IFNAME, "eth0");
    mnl_attr_put(h, IFLA_ADDRESS, 6, mac);
    mnl_attr_put_u32(h, IFLA_MTU, 1500);
    mnl_attr_put_u32(h, IFLA_NET_NS_FD, (unsigned)target);
    mnl_attr_nest_end(h, other);
    mnl_attr_nest_end(h, data);
    mnl_attr_nest_end(h, info);
    request(host, h, NULL, NULL, "create veth", peer);
    close(target);
    ipv6_settings(host_ipv6, peer, no_ipv6, "1\n");
    link_up(host, peer);
    link_up(ns_sock[j], "eth0");
  }
  PHASE_DONE();

  for (int i = 0; i < networks; ++i) {
    snprintf(name, sizeof name, "br-n%02d", i);
    add_address(host, bridge[i], addr_of(i, 1), name);
  }
  for (int j = 0; j < n; ++j) {
    snprintf(name, sizeof name, "c%04d:eth0", j);
    eth0[j] = link_index(ns_sock[j], "eth0");
    add_address(ns_sock[j], eth0[j], addr_of(j / PER_NETWORK, j % PER_NETWORK + 2), name);
  }
  PHASE_DONE();

  for (int j = 0; j < n; ++j) {
    snprintf(name, sizeof name, "c%04d", j);
    struct nlmsghdr* h = start(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    struct rtmsg* rt = mnl_nlmsg_put_extra_header(h, sizeof *rt);
    *rt = (struct rtmsg){.rtm_family = AF_INET,
                         .rtm_table = RT_TABLE_MAIN,
                         .rtm_protocol = RTPROT_BOOT,
                         .rtm_scope = RT_SCOPE_UNIVERSE,
                         .rtm_type = RTN_UNICAST};
    mnl_attr_put_u32(h, RTA_GATEWAY, addr_of(j / PER_NETWORK, 1));
    mnl_attr_put_u32(h, RTA_OIF, (unsigned)eth0[j]);
    request(ns_sock[j], h, NULL, NULL, "add default route in", name);
  }
  PHASE_DONE();

  // Settings: the host's, then each namespace's through a procfs of its own.
  int host_ipv4 = open("/proc/sys/net/ipv4", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (host_ipv4 < 0) die("open", "/proc/sys/net/ipv4");
  write_setting(host_ipv4, "ip_forward", "1\n");
  for (int i = 0; i < networks; ++i) {
    snprintf(name, sizeof name, "br-n%02d", i);
    ipv6_settings(host_ipv6, name, no_ra, "0\n");
  }
  for (int j = 0; j < n; ++j) {
    snprintf(peer, sizeof peer, "vh%04d", j);
    ipv6_settings(host_ipv6, peer, no_ra, "0\n");
  }
  for (int j = 0; j < n; ++j) {
    snprintf(name, sizeof name, "c%04d", j);
    int proc = private_proc();
    enter(netns_dir, name);
    int ipv6 = openat(proc, "sys/net/ipv6", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ipv6 < 0) die("open sys/net/ipv6 in", name);
    ipv6_settings(ipv6, "eth0", no_ra, "0\n");
    close(ipv6);
    leave();
  }
  PHASE_DONE();

  // Files: hosts (this container, then its network's others) and resolv.conf.
  int etc = open_dir(dir_from("TOPO_ETC_NETNS_DIR", "/etc/netns"));
  for (int j = 0; j < n; ++j) {
    int net = j / PER_NETWORK;
    snprintf(name, sizeof name, "c%04d", j);
    if (mkdirat(etc, name, 0755) < 0) die("mkdir", name);
    ntoa(addr_of(net, j % PER_NETWORK + 2), text);
    size_t used = (size_t)snprintf(hosts, sizeof hosts,
                                   "# Written by bench/apply_floor.c\n127.0.0.1\tlocalhost\n"
                                   "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                                   "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
                                   "# this container\n%s\t%s\n# network n%02d\n",
                                   text, name, net);
    for (int k = net * PER_NETWORK; k < (net + 1) * PER_NETWORK; ++k) {
      if (k == j) continue;
      ntoa(addr_of(net, k % PER_NETWORK + 2), text);
      used += (size_t)snprintf(hosts + used, sizeof hosts - used, "%s\tc%04d c%04d.n%02d\n", text, k, k, net);
    }
    write_file(etc, name, "hosts", hosts);
    write_file(etc, name, "resolv.conf", resolv);
  }
  PHASE_DONE();

  double total = now_ms() - t0;
  for (int p = 0; p < phase; ++p)
    fprintf(stderr, "%s%s %.0f ms", p ? ", " : "apply_floor: ", phase_names[p], phase_ms[p]);
  fprintf(stderr, "\n");
  printf("%d containers over %d networks: %.1f ms\n", n, networks, total);
  return 0;
}
