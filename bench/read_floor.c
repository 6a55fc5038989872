// The least a no-op plan must ask of the kernel, and nothing else: for each
// namespace under /run/netns, enter it, open a netlink socket there, dump
// its links, addresses and main-table routes (what a plan compares), read
// its hosts and resolv.conf from /etc/netns, and drop the replies unparsed;
// the host's links, addresses and routes once. Threads take namespaces in
// turn, as topo's read does. It prints the elapsed time, so that the README
// can set topo's no-op plan against the kernel's own cost on the same
// machine (bench/bench.sh builds it, bench/variant.sh records it).
//
// Usage: read_floor [THREADS]
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static char** names;
static size_t count;
static atomic_size_t next_name;
static int host_ns;

static void die(const char* what) {
  perror(what);
  exit(1);
}

// One dump: the request, then replies until NLMSG_DONE; the payload is not
// looked at beyond the message headers.
static void dump(int fd, int type, const void* body, size_t len) {
  struct {
    struct nlmsghdr h;
    char body[64];
  } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH(len);
  req.h.nlmsg_type = type;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  memcpy(req.body, body, len);
  if (send(fd, &req, req.h.nlmsg_len, 0) < 0) die("send");
  static __thread char buf[65536];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) die("recv");
    for (struct nlmsghdr* h = (struct nlmsghdr*)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) die("dump");
    }
  }
}

static void read_netns(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  // Counters left out, as topo asks (IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS).
  struct {
    struct ifinfomsg ifi;
    struct rtattr rta;
    __u32 mask;
  } link = {.ifi = {.ifi_family = AF_UNSPEC},
            .rta = {.rta_len = RTA_LENGTH(sizeof(__u32)), .rta_type = IFLA_EXT_MASK},
            .mask = RTEXT_FILTER_SKIP_STATS};
  dump(fd, RTM_GETLINK, &link, sizeof link);
  struct ifaddrmsg addr = {.ifa_family = AF_UNSPEC};
  dump(fd, RTM_GETADDR, &addr, sizeof addr);
  struct rtmsg route = {.rtm_family = AF_UNSPEC, .rtm_table = RT_TABLE_MAIN};
  dump(fd, RTM_GETROUTE, &route, sizeof route);
  close(fd);
}

static void read_file(int dir, const char* name) {
  int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[8192];
  while (read(fd, buf, sizeof buf) > 0) {
  }
  close(fd);
}

static void* worker(void* unused) {
  (void)unused;
  int run = open("/run/netns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int etc = open("/etc/netns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (size_t i; (i = atomic_fetch_add(&next_name, 1)) < count;) {
    int ns = openat(run, names[i], O_RDONLY | O_CLOEXEC);
    if (ns < 0) die("open netns");
    if (setns(ns, CLONE_NEWNET) < 0) die("setns");
    close(ns);
    read_netns();
    if (etc >= 0) {
      int dir = openat(etc, names[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        read_file(dir, "hosts");
        read_file(dir, "resolv.conf");
        close(dir);
      }
    }
  }
  if (setns(host_ns, CLONE_NEWNET) < 0) die("setns back");
  return NULL;
}

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  read_netns();
  DIR* d = opendir("/run/netns");
  if (!d) die("/run/netns");
  size_t room = 1024;
  names = malloc(room * sizeof *names);
  for (struct dirent* e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    if (count == room) names = realloc(names, (room *= 2) * sizeof *names);
    names[count++] = strdup(e->d_name);
  }
  closedir(d);
  pthread_t t[64];
  if (threads < 1 || threads > 64) threads = 2;
  for (int i = 1; i < threads; ++i) pthread_create(&t[i], NULL, worker, NULL);
  worker(NULL);
  for (int i = 1; i < threads; ++i) pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%zu namespaces, %d thread(s): %.1f ms\n", count, threads,
         (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  return 0;
}
