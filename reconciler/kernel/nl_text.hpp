#pragma once
// libnl's addresses as the text that dump records and resources hold.
#include <string>

#include <netlink/addr.h>

namespace topo::nl {

// A 6-byte link-layer address in lower case; "" for any other length.
std::string mac_of(nl_addr* a);
// The same from raw bytes (a netlink attribute's payload).
std::string mac_text(const void* bytes, unsigned len);
// An nl_addr as a bare address; "" when it is not IPv4 or IPv6.
std::string address_of(nl_addr* a);
// The same from raw bytes (a netlink attribute's payload) and the family
// they are of: "" unless AF_INET with 4 bytes or AF_INET6 with 16.
std::string address_text(int family, const void* bytes, unsigned len);
// An nl_addr as "address/prefixlen" (the prefix length always written).
std::string cidr_of(nl_addr* a);

}  // namespace topo::nl
