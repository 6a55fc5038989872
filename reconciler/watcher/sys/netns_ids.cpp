#include "reconciler/watcher/sys/netns_ids.hpp"

#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace topo::watcher {
namespace {

// One request with NETNSA_FD (and NETNSA_NSID for a new id), one answer.
struct Request {
  nlmsghdr h;
  rtgenmsg g;
  char pad[NLMSG_ALIGN(sizeof(rtgenmsg)) - sizeof(rtgenmsg)];
  nlattr fd_attr;
  uint32_t fd;
  nlattr id_attr;
  int32_t id;
};

// The answer's NETNSA_NSID, 0 for a bare ack, or -errno.
int ask(int sock, uint16_t type, int ns_fd, bool with_id, uint32_t seq) {
  Request r{};
  r.h.nlmsg_len = with_id ? sizeof r : offsetof(Request, id_attr);
  r.h.nlmsg_type = type;
  r.h.nlmsg_flags = NLM_F_REQUEST | (with_id ? NLM_F_ACK : 0);
  r.h.nlmsg_seq = seq;
  r.g.rtgen_family = AF_UNSPEC;
  r.fd_attr = {NLA_HDRLEN + sizeof(uint32_t), NETNSA_FD};
  r.fd = static_cast<uint32_t>(ns_fd);
  r.id_attr = {NLA_HDRLEN + sizeof(int32_t), NETNSA_NSID};
  r.id = -1;  // any free number
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(sock, &r, r.h.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) return -errno;
  alignas(nlmsghdr) char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    int len = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue;  // a late answer to an earlier request
      if (h->nlmsg_type == NLMSG_ERROR) return static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
      if (h->nlmsg_type != RTM_NEWNSID) continue;
      const int payload = static_cast<int>(h->nlmsg_len) - static_cast<int>(NLMSG_LENGTH(NLMSG_ALIGN(sizeof(rtgenmsg))));
      auto* a = reinterpret_cast<nlattr*>(static_cast<char*>(NLMSG_DATA(h)) + NLMSG_ALIGN(sizeof(rtgenmsg)));
      for (int left = payload; left >= static_cast<int>(NLA_HDRLEN) && a->nla_len >= NLA_HDRLEN && a->nla_len <= left;
           left -= NLA_ALIGN(a->nla_len), a = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(a) + NLA_ALIGN(a->nla_len))) {
        if ((a->nla_type & NLA_TYPE_MASK) != NETNSA_NSID || a->nla_len < NLA_HDRLEN + sizeof(int32_t)) continue;
        int32_t id;
        std::memcpy(&id, reinterpret_cast<char*>(a) + NLA_HDRLEN, sizeof id);
        return id;
      }
      return NETNSA_NSID_NOT_ASSIGNED;
    }
  }
}

}  // namespace

Fd netns_id_socket() {
  Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) throw std::runtime_error(std::string("netlink socket for namespace ids: ") + std::strerror(errno));
  return fd;
}

int netns_id(int sock, int ns_fd) {
  static uint32_t seq = 0;
  int id = ask(sock, RTM_GETNSID, ns_fd, false, ++seq);
  if (id >= 0) return id;
  // None yet (or a refusal): ask for one. EEXIST: another process gave it
  // one meanwhile; the second question finds it either way.
  ask(sock, RTM_NEWNSID, ns_fd, true, ++seq);
  id = ask(sock, RTM_GETNSID, ns_fd, false, ++seq);
  return id >= 0 ? id : -1;
}

}  // namespace topo::watcher
