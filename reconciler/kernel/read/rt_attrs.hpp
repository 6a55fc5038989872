#pragma once
// Reading one route-netlink attribute of a reply parsed by hand
// (rt_records.cpp, link_records.cpp): its type as libnl's parse read it,
// its payload's length, and its payload as a number or text, 0 or "" when
// it is too short to hold one.
#include <cstdint>
#include <cstring>
#include <string>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

namespace topo::observer::rta {

// The type without the nested and byte-order flags.
inline unsigned type_of(const rtattr* a) { return a->rta_type & NLA_TYPE_MASK; }

inline unsigned payload_len(const rtattr* a) { return static_cast<unsigned>(RTA_PAYLOAD(a)); }

inline uint32_t u32_of(const rtattr* a) {
  uint32_t v = 0;
  if (payload_len(a) >= sizeof v) std::memcpy(&v, RTA_DATA(a), sizeof v);
  return v;
}

// A string attribute, up to its terminating NUL if it has one.
inline std::string text_of(const rtattr* a) {
  const auto* s = static_cast<const char*>(RTA_DATA(a));
  return std::string(s, strnlen(s, payload_len(a)));
}

}  // namespace topo::observer::rta
