#include "reconciler/cluster/choice.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "reconciler/cluster/error.hpp"

namespace topo::cluster {
namespace {

// 128 bits hold both families: IPv4 in the low 32.
using u128 = unsigned __int128;

u128 to_int(const IpAddress& a) {
  u128 v = 0;
  for (int i = 0; i < a.bits() / 8; ++i) v = (v << 8) | a.bytes[static_cast<size_t>(i)];
  return v;
}

IpAddress from_int(u128 v, int family) {
  IpAddress a;
  a.family = family;
  for (int i = a.bits() / 8 - 1; i >= 0; --i) {
    a.bytes[static_cast<size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
  return a;
}

// The inclusive [first, last] of a prefix; inclusive so that ::/0 fits.
std::pair<u128, u128> bounds(const IpPrefix& p) {
  const int host_bits = p.addr.bits() - p.len;
  const u128 first = to_int(p.network());
  const u128 span_minus_1 = host_bits >= 128 ? ~u128{0} : (u128{1} << host_bits) - 1;
  return {first, first + span_minus_1};
}

// Sorted, merged inclusive intervals.
using Spans = std::vector<std::pair<u128, u128>>;
Spans merge(Spans spans) {
  std::sort(spans.begin(), spans.end());
  Spans merged;
  for (const auto& s : spans) {
    if (!merged.empty() && (merged.back().second == ~u128{0} || s.first <= merged.back().second + 1))
      merged.back().second = std::max(merged.back().second, s.second);
    else
      merged.push_back(s);
  }
  return merged;
}

// The first block [at, at + step - 1], at = first + k * step, within [first,
// last], that meets no span. nullopt when none.
std::optional<u128> first_free_block(u128 first, u128 last, u128 step_minus_1, const Spans& taken) {
  u128 at = first;
  while (true) {
    const u128 end = at + step_minus_1;
    // The first taken span that ends at or after the block's start.
    auto it = std::lower_bound(taken.begin(), taken.end(), at,
                               [](const auto& span, u128 a) { return span.second < a; });
    if (it == taken.end() || it->first > end) return at;
    // Past that span, at the next block boundary.
    if (it->second >= last) return std::nullopt;
    if (step_minus_1 == ~u128{0}) return std::nullopt;  // one block, the whole space, and it is taken
    const u128 step = step_minus_1 + 1;
    const u128 offset = it->second + 1 - first;  // it->second < last: no wrap
    const u128 k = offset / step + (offset % step != 0 ? 1 : 0);
    if (k > (last - first) / step) return std::nullopt;  // past the end
    at = first + k * step;
  }
}

}  // namespace

std::optional<IpPrefix> first_free_subnet(const IpPrefix& range, int len, const std::vector<IpPrefix>& taken) {
  if (len < range.len || len > range.addr.bits())
    throw ClusterError(ClusterError::Kind::invalid_argument,
                       "a /" + std::to_string(len) + " cannot be cut from " + range.network_str());
  Spans spans;
  for (const IpPrefix& t : taken)
    if (t.addr.family == range.addr.family) spans.push_back(bounds(t));
  const auto [first, last] = bounds(range);
  const int host_bits = range.addr.bits() - len;
  const u128 step_minus_1 = host_bits >= 128 ? ~u128{0} : (u128{1} << host_bits) - 1;
  auto at = first_free_block(first, last, step_minus_1, merge(std::move(spans)));
  if (!at) return std::nullopt;
  return IpPrefix{from_int(*at, range.addr.family), len};
}

std::optional<IpAddress> first_free_address(const IpPrefix& subnet, const std::optional<IpAddress>& gateway,
                                            const std::vector<IpAddress>& taken) {
  auto [first, last] = bounds(subnet);
  const int host_bits = subnet.addr.bits() - subnet.len;
  if (host_bits >= 2) {
    ++first;                                // the network address (IPv6: subnet-router anycast)
    if (subnet.addr.is_v4()) --last;        // IPv4's broadcast
  }
  Spans spans;
  if (gateway && gateway->family == subnet.addr.family) spans.push_back({to_int(*gateway), to_int(*gateway)});
  for (const IpAddress& t : taken)
    if (t.family == subnet.addr.family) spans.push_back({to_int(t), to_int(t)});
  auto at = first_free_block(first, last, 0, merge(std::move(spans)));
  if (!at) return std::nullopt;
  return from_int(*at, subnet.addr.family);
}

}  // namespace topo::cluster
