#pragma once
// IPv4/IPv6 addresses and prefixes as values: parsing, printing, containment
// and host arithmetic for IPAM. Pure; no kernel.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace topo {

struct IpAddress {
  int family = 0;                        // 4 or 6
  std::array<std::uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4

  static std::optional<IpAddress> parse(const std::string& text);
  std::string str() const;
  int bits() const { return family == 4 ? 32 : 128; }
  bool is_v4() const { return family == 4; }
  // 127.0.0.0/8 or ::1.
  bool is_loopback() const;
  // 0.0.0.0 or ::, "any address": no host can be reached at it.
  bool is_unspecified() const;
  // 255.255.255.255, the limited broadcast (IPv4 only).
  bool is_limited_broadcast() const;
  // 224.0.0.0/4 or ff00::/8.
  bool is_multicast() const;
  // The address `n` after this one (wraps silently; callers check containment).
  IpAddress plus(std::uint64_t n) const;
  auto operator<=>(const IpAddress&) const = default;
};

struct IpPrefix {
  IpAddress addr;  // as written (host bits may be set, e.g. an interface address)
  int len = 0;

  // "10.0.0.1/24" or "fd00::/64". A bare address is rejected.
  static std::optional<IpPrefix> parse(const std::string& text);
  std::string str() const;
  IpAddress network() const;        // host bits cleared
  std::string network_str() const;  // "10.50.0.0/16": network() and the length
  bool contains(const IpAddress& a) const;
  bool contains(const IpPrefix& p) const;
  // Share any address (one contains the other); false across families.
  bool overlaps(const IpPrefix& p) const { return contains(p) || p.contains(*this); }
  bool is_network() const { return network() == addr; }  // no host bits set
  // Number of addresses, saturated at 2^63.
  std::uint64_t size() const;
  auto operator<=>(const IpPrefix&) const = default;
};

}  // namespace topo
