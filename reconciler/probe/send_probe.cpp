#include "reconciler/probe/send_probe.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>

#include "reconciler/fsutil/fd.hpp"

namespace topo::probe {
namespace {

using Clock = std::chrono::steady_clock;
using verify::Probe;
using verify::ProbeResult;

struct Target {
  sockaddr_storage addr{};
  socklen_t len = 0;
  int family = AF_UNSPEC;
};

bool parse_target(const std::string& address, int port, Target& t) {
  auto* v4 = reinterpret_cast<sockaddr_in*>(&t.addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&t.addr);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    t.len = sizeof(sockaddr_in);
    t.family = AF_INET;
    return true;
  }
  if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    t.len = sizeof(sockaddr_in6);
    t.family = AF_INET6;
    return true;
  }
  return false;
}

int ms_since(Clock::time_point start) {
  return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

std::string seconds(int ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", ms / 1000.0);
  return buf;
}

ProbeResult finish(Clock::time_point start, bool reached, std::string detail) {
  ProbeResult r;
  r.reached = reached;
  r.elapsed_ms = ms_since(start);
  r.detail = std::move(detail);
  return r;
}

// Nothing could be sent (no socket: no CAP_NET_RAW, no descriptors left):
// nothing was learnt, so the check fails whatever it expects.
ProbeResult not_tried(Clock::time_point start, std::string detail) {
  ProbeResult r = finish(start, false, std::move(detail));
  r.not_tried = true;
  return r;
}

uint16_t checksum(const unsigned char* data, std::size_t len) {
  uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (len % 2) sum += static_cast<uint32_t>(data[len - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

std::string unreachable_text(int family, int code) {
  if (family == AF_INET) {
    switch (code) {
      case ICMP_NET_UNREACH: return "network unreachable";
      case ICMP_HOST_UNREACH: return "host unreachable";
      case ICMP_PORT_UNREACH: return "port unreachable";
      case ICMP_PKT_FILTERED: return "administratively prohibited";
      default: return "destination unreachable (code " + std::to_string(code) + ")";
    }
  }
  switch (code) {
    case ICMP6_DST_UNREACH_NOROUTE: return "no route";
    case ICMP6_DST_UNREACH_ADMIN: return "administratively prohibited";
    case ICMP6_DST_UNREACH_ADDR: return "address unreachable";
    case ICMP6_DST_UNREACH_NOPORT: return "port unreachable";
    default: return "destination unreachable (code " + std::to_string(code) + ")";
  }
}

// Echo requests every half second until a reply or the timeout: the first
// may be lost while a neighbour is resolved or a new bridge port comes up.
ProbeResult icmp_echo(const Target& t, int timeout_ms) {
  const auto start = Clock::now();
  const bool v4 = t.family == AF_INET;
  Fd s(::socket(t.family, SOCK_RAW | SOCK_CLOEXEC, v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6));
  if (!s) return not_tried(start, std::string("raw ICMP socket: ") + std::strerror(errno));
  const uint16_t id = static_cast<uint16_t>(::getpid());
  uint16_t seq = 0;
  auto next_send = start;
  // A neighbour that failed to resolve a moment ago (the container was being
  // made) answers "host unreachable" until it is asked again: that is kept
  // as the answer only if nothing better comes before the timeout.
  std::string unreachable;
  const auto deadline = start + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (Clock::now() >= next_send) {
      unsigned char pkt[16] = {};
      pkt[0] = v4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
      pkt[4] = id >> 8, pkt[5] = id & 0xff;
      ++seq;
      pkt[6] = seq >> 8, pkt[7] = seq & 0xff;
      std::memcpy(pkt + 8, "topo-chk", 8);
      if (v4) {
        const uint16_t sum = checksum(pkt, sizeof pkt);
        std::memcpy(pkt + 2, &sum, 2);
      }  // the kernel fills ICMPv6's
      if (::sendto(s.get(), pkt, sizeof pkt, 0, reinterpret_cast<const sockaddr*>(&t.addr), t.len) < 0) {
        if (errno == EHOSTUNREACH)
          unreachable = std::string("not sent: ") + std::strerror(errno);
        else if (errno == ENETUNREACH || errno == EACCES || errno == EPERM)
          return finish(start, false, std::string("not sent: ") + std::strerror(errno));
      }
      next_send += std::chrono::milliseconds(500);
    }
    const auto wait = std::min(next_send, deadline) - Clock::now();
    pollfd pfd{s.get(), POLLIN, 0};
    const int ms = std::max<int>(1, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()));
    if (::poll(&pfd, 1, ms) <= 0) continue;
    unsigned char buf[1500];
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(s.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n <= 0) continue;
    std::size_t off = 0;
    if (v4) off = static_cast<std::size_t>(buf[0] & 0x0f) * 4;  // the IP header comes too
    if (static_cast<std::size_t>(n) < off + 8) continue;
    const unsigned char* icmp = buf + off;
    const int type = icmp[0], code = icmp[1];
    const bool reply = v4 ? type == ICMP_ECHOREPLY : type == ICMP6_ECHO_REPLY;
    const bool from_target =
        v4 ? reinterpret_cast<sockaddr_in*>(&from)->sin_addr.s_addr ==
                 reinterpret_cast<const sockaddr_in*>(&t.addr)->sin_addr.s_addr
           : std::memcmp(&reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr,
                         &reinterpret_cast<const sockaddr_in6*>(&t.addr)->sin6_addr, 16) == 0;
    if (reply && from_target && (icmp[4] << 8 | icmp[5]) == id)
      return finish(start, true, "echo reply in " + std::to_string(ms_since(start)) + " ms");
    const bool an_unreachable = v4 ? type == ICMP_DEST_UNREACH : type == ICMP6_DST_UNREACH;
    if (an_unreachable) {
      // The original request is quoted after the header (IPv4: with its IP header).
      const std::size_t inner = off + 8 + (v4 ? static_cast<std::size_t>(icmp[8] & 0x0f) * 4 : 40);
      if (static_cast<std::size_t>(n) >= inner + 8 && (buf[inner + 4] << 8 | buf[inner + 5]) == id) {
        char who[INET6_ADDRSTRLEN] = {};
        ::inet_ntop(t.family, v4 ? static_cast<void*>(&reinterpret_cast<sockaddr_in*>(&from)->sin_addr)
                                 : static_cast<void*>(&reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr),
                    who, sizeof who);
        const std::string text = unreachable_text(t.family, code) + " (from " + who + ")";
        const bool host = v4 ? code == ICMP_HOST_UNREACH : code == ICMP6_DST_UNREACH_ADDR;
        if (!host) return finish(start, false, text);
        unreachable = text;
      }
    }
  }
  if (!unreachable.empty()) return finish(start, false, unreachable);
  return finish(start, false, "no echo reply within " + seconds(timeout_ms));
}

ProbeResult tcp_connect(const Target& t, int timeout_ms) {
  const auto start = Clock::now();
  Fd s(::socket(t.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!s) return not_tried(start, std::string("socket: ") + std::strerror(errno));
  int err = 0;
  if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&t.addr), t.len) != 0) {
    if (errno != EINPROGRESS) return finish(start, false, std::strerror(errno));
    pollfd pfd{s.get(), POLLOUT, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) return finish(start, false, "no answer within " + seconds(timeout_ms));
    socklen_t len = sizeof err;
    ::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  }
  if (err == ECONNREFUSED) return finish(start, false, "connection refused");
  if (err) return finish(start, false, std::strerror(err));
  return finish(start, true, "connected in " + std::to_string(ms_since(start)) + " ms");
}

// Sent again every half second: a lost datagram is not a closed port.
ProbeResult udp_exchange(const Target& t, int timeout_ms) {
  const auto start = Clock::now();
  Fd s(::socket(t.family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!s) return not_tried(start, std::string("socket: ") + std::strerror(errno));
  if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&t.addr), t.len) != 0)
    return finish(start, false, std::strerror(errno));
  const auto deadline = start + std::chrono::milliseconds(timeout_ms);
  auto next_send = start;
  while (Clock::now() < deadline) {
    if (Clock::now() >= next_send) {
      (void)::send(s.get(), "topo verify\n", 12, 0);
      next_send += std::chrono::milliseconds(500);
    }
    const auto wait = std::min(next_send, deadline) - Clock::now();
    pollfd pfd{s.get(), POLLIN, 0};
    const int ms = std::max<int>(1, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()));
    if (::poll(&pfd, 1, ms) <= 0) continue;
    char buf[512];
    const ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
    if (n >= 0) return finish(start, true, "a reply of " + std::to_string(n) + " bytes in " +
                                              std::to_string(ms_since(start)) + " ms");
    if (errno == ECONNREFUSED) return finish(start, false, "port unreachable (ICMP)");
    if (errno == EHOSTUNREACH || errno == ENETUNREACH) return finish(start, false, std::strerror(errno));
  }
  return finish(start, false, "no reply within " + seconds(timeout_ms));
}

ProbeResult resolve_name(const std::string& name, int timeout_ms) {
  const auto start = Clock::now();
  // One try per server within the check's timeout, instead of the resolver's
  // 5 s times 2 (resolv.conf(5)); this child only ever looks up this name.
  const std::string options = "timeout:" + std::to_string(std::max(1, timeout_ms / 1000)) + " attempts:1";
  ::setenv("RES_OPTIONS", options.c_str(), 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (rc != 0) return finish(start, false, std::string("not resolved: ") + ::gai_strerror(rc));
  std::set<std::string> seen;
  ProbeResult r;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* a = ai->ai_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
                                             : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (::inet_ntop(ai->ai_family, a, text, sizeof text) && seen.insert(text).second) r.addresses.push_back(text);
  }
  ::freeaddrinfo(res);
  std::string list;
  for (const auto& a : r.addresses) list += (list.empty() ? "" : ", ") + a;
  r.reached = !r.addresses.empty();
  r.detail = "resolved to " + list;
  r.elapsed_ms = ms_since(start);
  return r;
}

}  // namespace

ProbeResult send_probe(const Probe& p) {
  if (p.kind == verify::ProbeKind::Resolve) return resolve_name(p.name, p.timeout_ms);
  Target t;
  if (!parse_target(p.address, p.port, t)) return finish(Clock::now(), false, "\"" + p.address + "\" is no address");
  switch (p.kind) {
    case verify::ProbeKind::Tcp: return tcp_connect(t, p.timeout_ms);
    case verify::ProbeKind::Udp: return udp_exchange(t, p.timeout_ms);
    default: return icmp_echo(t, p.timeout_ms);
  }
}

}  // namespace topo::probe
