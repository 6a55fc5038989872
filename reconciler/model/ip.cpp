#include "reconciler/model/ip.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace topo {

std::optional<IpAddress> IpAddress::parse(const std::string& text) {
  IpAddress a;
  if (text.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = 6;
  } else {
    if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = 4;
  }
  return a;
}

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == 0) return "";
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

IpAddress IpAddress::plus(std::uint64_t n) const {
  IpAddress r = *this;
  int i = bits() / 8 - 1;
  unsigned carry = 0;
  while (i >= 0 && (n != 0 || carry != 0)) {
    unsigned sum = r.bytes[i] + static_cast<unsigned>(n & 0xff) + carry;
    r.bytes[i] = static_cast<std::uint8_t>(sum & 0xff);
    carry = sum >> 8;
    n >>= 8;
    --i;
  }
  return r;
}

std::optional<IpPrefix> IpPrefix::parse(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  std::string len_text = text.substr(slash + 1);
  int len = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || end != len_text.data() + len_text.size() || len_text.empty()) return std::nullopt;
  if (len < 0 || len > addr->bits()) return std::nullopt;
  return IpPrefix{*addr, len};
}

std::string IpPrefix::str() const { return addr.str() + "/" + std::to_string(len); }

std::string IpPrefix::network_str() const { return network().str() + "/" + std::to_string(len); }

IpAddress IpPrefix::network() const {
  IpAddress n = addr;
  for (int bit = len; bit < addr.bits(); ++bit) n.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return n;
}

bool IpPrefix::contains(const IpAddress& a) const {
  if (a.family != addr.family) return false;
  return IpPrefix{a, len}.network() == network();
}

bool IpPrefix::contains(const IpPrefix& p) const { return p.len >= len && contains(p.addr); }

std::uint64_t IpPrefix::size() const {
  int host_bits = addr.bits() - len;
  if (host_bits >= 63) return std::uint64_t{1} << 63;
  return std::uint64_t{1} << host_bits;
}

bool IpAddress::is_loopback() const {
  if (family == 4) return bytes[0] == 127;
  if (family != 6) return false;
  for (int i = 0; i < 15; ++i)
    if (bytes[static_cast<std::size_t>(i)] != 0) return false;
  return bytes[15] == 1;
}

bool IpAddress::is_unspecified() const {
  if (family != 4 && family != 6) return false;
  for (int i = 0; i < bits() / 8; ++i)
    if (bytes[static_cast<std::size_t>(i)] != 0) return false;
  return true;
}

bool IpAddress::is_limited_broadcast() const {
  return family == 4 && bytes[0] == 255 && bytes[1] == 255 && bytes[2] == 255 && bytes[3] == 255;
}

bool IpAddress::is_multicast() const {
  if (family == 4) return (bytes[0] & 0xf0) == 0xe0;
  return family == 6 && bytes[0] == 0xff;
}

}  // namespace topo
