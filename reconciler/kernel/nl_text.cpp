#include "reconciler/kernel/nl_text.hpp"

#include <arpa/inet.h>


namespace topo::nl {

std::string mac_of(nl_addr* a) {
  if (!a) return {};
  return mac_text(nl_addr_get_binary_addr(a), nl_addr_get_len(a));
}

std::string mac_text(const void* bytes, unsigned len) {
  if (len != 6) return {};
  // By hand: snprintf cost more than the rest of a link's record.
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* b = static_cast<const unsigned char*>(bytes);
  std::string out(17, ':');
  for (int i = 0; i < 6; ++i) {
    out[3 * i] = kHex[b[i] >> 4];
    out[3 * i + 1] = kHex[b[i] & 0xf];
  }
  return out;
}

std::string address_text(int family, const void* bytes, unsigned len) {
  if ((family != AF_INET || len != 4) && (family != AF_INET6 || len != 16)) return {};
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(family, bytes, buf, sizeof buf)) return {};
  return buf;
}

std::string address_of(nl_addr* a) {
  if (!a) return {};
  return address_text(nl_addr_get_family(a), nl_addr_get_binary_addr(a), nl_addr_get_len(a));
}

std::string cidr_of(nl_addr* a) {
  if (!a) return {};
  const int family = nl_addr_get_family(a);
  // A zero-length address is a default destination.
  if (nl_addr_get_len(a) == 0) return family == AF_INET6 ? "::/0" : "0.0.0.0/0";
  const std::string addr = address_of(a);
  if (addr.empty()) return {};
  return addr + "/" + std::to_string(nl_addr_get_prefixlen(a));
}

}  // namespace topo::nl
