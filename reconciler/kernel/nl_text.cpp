#include "reconciler/kernel/nl_text.hpp"

#include <arpa/inet.h>

#include <cstdio>

namespace topo::nl {

std::string mac_of(nl_addr* a) {
  if (!a || nl_addr_get_len(a) != 6) return {};
  char buf[32];
  const auto* b = static_cast<const unsigned char*>(nl_addr_get_binary_addr(a));
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
  return buf;
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
