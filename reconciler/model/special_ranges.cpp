#include "reconciler/model/special_ranges.hpp"

namespace topo {

std::optional<SpecialRange> special_range_of(const IpPrefix& p) {
  struct Entry {
    const char* prefix;
    const char* what;
  };
  static const Entry kRanges[] = {
      {"127.0.0.0/8", "loopback"},      {"::1/128", "loopback"},    {"224.0.0.0/4", "multicast"},
      {"ff00::/8", "multicast"},        {"0.0.0.0/8", "reserved (\"this network\")"},
      {"169.254.0.0/16", "link-local"}, {"fe80::/10", "link-local"},
  };
  for (const Entry& e : kRanges) {
    const IpPrefix range = *IpPrefix::parse(e.prefix);
    if (p.overlaps(range)) return SpecialRange{range, e.what};
  }
  return std::nullopt;
}

}  // namespace topo
