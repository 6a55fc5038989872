#include "reconciler/kernel/udp_sockets.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace topo::kops {
namespace {

bool hex_value(const std::string& text, unsigned long& out) {
  if (text.empty() || text.size() > 16) return false;
  char* end = nullptr;
  out = std::strtoul(text.c_str(), &end, 16);
  return end == text.c_str() + text.size();
}

// "0100007F:1F90" (udp) or 32 hex digits and a port (udp6): the address is
// the kernel's __be32 words printed with %08X, i.e. in this machine's byte
// order, so each word is put back into memory as this machine stores it.
bool decode_endpoint(const std::string& text, int family, std::string& addr, unsigned& port) {
  const std::size_t colon = text.find(':');
  const std::size_t digits = family == 4 ? 8 : 32;
  if (colon != digits) return false;
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t w = 0; w < digits / 8; ++w) {
    unsigned long word = 0;
    if (!hex_value(text.substr(w * 8, 8), word)) return false;
    const auto w32 = static_cast<std::uint32_t>(word);
    std::memcpy(bytes.data() + w * 4, &w32, 4);
  }
  unsigned long p = 0;
  if (!hex_value(text.substr(colon + 1), p) || p > 65535) return false;
  char buf[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf)) return false;
  addr = buf;
  port = static_cast<unsigned>(p);
  return true;
}

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  if (in) ss << in.rdbuf();
  return ss.str();
}

}  // namespace

namespace {

// Every socket of a /proc/net/{udp,tcp}{,6} table; `state`, when not empty,
// keeps only those in that state (hex, as printed).
std::vector<UdpSocket> parse_table(const std::string& text, int family, const std::string& state) {
  std::vector<UdpSocket> out;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, st, queues, timer, retransmits;
    unsigned long uid = 0, timeout = 0, inode = 0;
    if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
    if (!state.empty() && st != state) continue;
    UdpSocket s;
    s.family = family;
    if (!decode_endpoint(local, family, s.local, s.port)) continue;
    s.uid = static_cast<unsigned>(uid);
    s.inode = inode;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<UdpSocket> parse_proc_net_udp(const std::string& text, int family) { return parse_table(text, family, ""); }

std::vector<UdpSocket> parse_proc_net_tcp_listeners(const std::string& text, int family) {
  return parse_table(text, family, "0A");  // TCP_LISTEN
}

std::vector<UdpSocket> read_tcp_listeners() {
  std::vector<UdpSocket> out = parse_proc_net_tcp_listeners(read_text("/proc/thread-self/net/tcp"), 4);
  for (auto& s : parse_proc_net_tcp_listeners(read_text("/proc/thread-self/net/tcp6"), 6)) out.push_back(std::move(s));
  return out;
}

std::optional<std::pair<int, int>> parse_port_range(const std::string& text) {
  std::istringstream in(text);
  int low = 0, high = 0;
  if (!(in >> low >> high) || low < 1 || high > 65535 || low > high) return std::nullopt;
  return std::pair{low, high};
}

std::optional<std::pair<int, int>> read_ephemeral_port_range() {
  // The host namespace's, as for the sockets: /proc/sys/net shows the
  // namespace of the thread that opens it.
  return parse_port_range(read_text("/proc/sys/net/ipv4/ip_local_port_range"));
}

std::vector<UdpSocket> read_udp_sockets() {
  // thread-self: the namespace of this thread, which is the host's while
  // topo plans (namespace switches are scoped to single operations).
  std::vector<UdpSocket> out = parse_proc_net_udp(read_text("/proc/thread-self/net/udp"), 4);
  for (auto& s : parse_proc_net_udp(read_text("/proc/thread-self/net/udp6"), 6)) out.push_back(std::move(s));
  return out;
}

}  // namespace topo::kops
