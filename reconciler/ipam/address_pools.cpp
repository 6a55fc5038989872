#include "reconciler/ipam/address_pools.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "reconciler/model/special_ranges.hpp"

namespace topo {

namespace {

std::uint32_t to_u32(const IpAddress& a) {
  return (std::uint32_t{a.bytes[0]} << 24) | (std::uint32_t{a.bytes[1]} << 16) | (std::uint32_t{a.bytes[2]} << 8) |
         std::uint32_t{a.bytes[3]};
}

IpPrefix v4_prefix(std::uint32_t addr, int len) {
  IpAddress a;
  a.family = 4;
  a.bytes[0] = static_cast<std::uint8_t>(addr >> 24);
  a.bytes[1] = static_cast<std::uint8_t>(addr >> 16);
  a.bytes[2] = static_cast<std::uint8_t>(addr >> 8);
  a.bytes[3] = static_cast<std::uint8_t>(addr);
  return IpPrefix{a, len};
}

// Addresses in a prefix of length `len`, as a 64-bit count (a /0 holds 2^32).
std::uint64_t span(int len) { return std::uint64_t{1} << (32 - len); }

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    const auto at = s.find(sep, from);
    out.push_back(s.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) return out;
    from = at + 1;
  }
}

// One "base=CIDR,size=N"; "" and the pool, or the problem.
std::string parse_one(const std::string& text, AddressPool& pool) {
  std::optional<IpPrefix> base;
  std::optional<int> size;
  for (const std::string& raw_part : split(text, ',')) {
    const std::string part = trim(raw_part);
    const auto eq = part.find('=');
    const std::string key = trim(part.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : trim(part.substr(eq + 1));
    if (eq == std::string::npos || (key != "base" && key != "size"))
      return "\"" + part + "\" is not base=CIDR or size=N";
    if (key == "base") {
      base = IpPrefix::parse(value);
      if (!base) return "base \"" + value + "\" is not a CIDR prefix such as 10.10.0.0/16";
    } else {
      int n = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        return "size \"" + value + "\" is not a prefix length such as 24";
      size = n;
    }
  }
  if (!base) return "no base=CIDR";
  if (!size) return "no size=N (the prefix length of the subnets cut from " + base->str() + ")";
  if (!base->addr.is_v4())
    return "base " + base->str() + " is IPv6; address pools are IPv4 (give IPv6 networks their subnet)";
  if (!base->is_network())
    return "base " + base->str() + " has host bits set; did you mean " + base->network_str() + "?";
  if (const auto special = special_range_of(*base))
    return "base " + base->str() + " overlaps " + special->range.str() + ", which is " + special->what +
           " and cannot hold networks";
  // A network needs room for a gateway and containers (the loader's limit).
  if (*size < base->len || *size > 30)
    return "size " + std::to_string(*size) + " must be between the base's prefix length (" +
           std::to_string(base->len) + ") and 30";
  pool = AddressPool{*base, *size};
  return "";
}

}  // namespace

const std::vector<AddressPool>& default_address_pools() {
  static const std::vector<AddressPool> pools = [] {
    std::vector<AddressPool> out;
    for (int second = 17; second <= 31; ++second)
      out.push_back({*IpPrefix::parse("172." + std::to_string(second) + ".0.0/16"), 16});
    out.push_back({*IpPrefix::parse("192.168.0.0/16"), 20});
    return out;
  }();
  return pools;
}

ParsedPools parse_address_pools(const std::vector<std::string>& items) {
  ParsedPools out;
  for (const std::string& item : items) {
    for (const std::string& raw : split(item, ';')) {
      const std::string text = trim(raw);
      if (text.empty()) continue;
      AddressPool pool;
      if (std::string problem = parse_one(text, pool); !problem.empty()) {
        out.error =
            "address pool \"" + text + "\": " + problem + "; the form is base=CIDR,size=N, pools separated by ';'";
        out.pools.clear();
        return out;
      }
      out.pools.push_back(pool);
    }
  }
  return out;
}

std::string describe(const AddressPool& pool) { return pool.base.str() + " as /" + std::to_string(pool.size); }

std::string describe(const std::vector<AddressPool>& pools) {
  if (pools == default_address_pools()) return "172.17.0.0/16 ... 172.31.0.0/16 as /16, 192.168.0.0/16 as /20";
  std::string out;
  for (const AddressPool& p : pools) out += (out.empty() ? "" : ", ") + describe(p);
  return out;
}

std::optional<IpPrefix> first_free_subnet(const std::vector<AddressPool>& pools, const std::vector<IpPrefix>& taken) {
  // The taken IPv4 space as sorted, disjoint [start, end) intervals.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const IpPrefix& t : taken) {
    if (!t.addr.is_v4()) continue;
    const std::uint64_t start = to_u32(t.network());
    spans.push_back({start, start + span(t.len)});
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, s.second);
    else
      merged.push_back(s);
  }
  for (const AddressPool& pool : pools) {
    if (!pool.base.addr.is_v4()) continue;
    const std::uint64_t step = span(pool.size);
    const std::uint64_t end = std::uint64_t{to_u32(pool.base.network())} + span(pool.base.len);
    std::uint64_t at = to_u32(pool.base.network());
    while (at < end) {
      // The first taken interval that ends after the candidate starts.
      auto it = std::upper_bound(merged.begin(), merged.end(), at,
                                 [](std::uint64_t a, const auto& iv) { return a < iv.second; });
      if (it == merged.end() || it->first >= at + step) return v4_prefix(static_cast<std::uint32_t>(at), pool.size);
      // Past that interval, at the next candidate boundary (the base is
      // aligned to the size, so boundaries are multiples of the step).
      at = std::max(at + step, (it->second + step - 1) / step * step);
    }
  }
  return std::nullopt;
}

}  // namespace topo
