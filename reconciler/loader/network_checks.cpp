#include <set>

#include "providers/provider.hpp"
#include "reconciler/loader/defaults.hpp"
#include "reconciler/loader/semantic_checks.hpp"
#include "reconciler/model/special_ranges.hpp"

namespace topo::loader {
namespace {

bool is_v4_broadcast(const IpPrefix& subnet, const IpAddress& a) {
  return subnet.addr.is_v4() && subnet.len < 31 && a == subnet.network().plus(subnet.size() - 1);
}

// A network's keys as its driver's checks see them (providers/driver_keys.hpp).
class DriverReport : public KeyReport {
 public:
  DriverReport(const RawNetwork& raw, const std::string& what, Diagnostics& diag)
      : raw_(raw), what_(what), diag_(diag) {}
  bool has(const char* key) const override { return raw_.where.has(key); }
  void error(const char* key, const std::string& message) const override {
    diag_.error(raw_.where.at(key), what_ + ": " + message);
  }
  void error(const std::string& message) const override { diag_.error(raw_.where.object, what_ + ": " + message); }

 private:
  const RawNetwork& raw_;
  const std::string& what_;
  Diagnostics& diag_;
};

// Only the errors at one key: another driver's checks, run for its key on a
// network that is not its own, have nothing to say about the rest.
class OneKeyReport : public KeyReport {
 public:
  OneKeyReport(const KeyReport& all, const std::string& key) : all_(all), key_(key) {}
  bool has(const char* key) const override { return all_.has(key); }
  void error(const char* key, const std::string& message) const override {
    if (key_ == key) all_.error(key, message);
  }
  void error(const std::string&) const override {}

 private:
  const KeyReport& all_;
  const std::string& key_;
};

// A key of another driver means nothing here: a mistake we would otherwise
// silently ignore. The drivers it applies to are named in registry order; the
// first of them still checks its value (raw_model.hpp RawNetwork::foreign).
void check_other_drivers_keys(const RawNetwork& raw, const std::string& what, Diagnostics& diag) {
  const DriverReport report(raw, what, diag);
  for (const ForeignKey& fk : foreign_keys(raw.net.driver)) {
    if (!raw.where.has(fk.key)) continue;
    std::string drivers;  // "bridge and overlay"
    for (const Provider* p : fk.drivers) drivers += (drivers.empty() ? "" : " and ") + to_string(p->driver());
    diag.error(raw.where.at(fk.key), what + ": \"" + fk.key + "\" applies to " + drivers +
                                         " networks only, not to driver " + to_string(raw.net.driver));
    for (const RawNetwork::Foreign& foreign : raw.foreign) {
      if (foreign.key != fk.key) continue;
      Network as_written = raw.net;
      as_written.settings = foreign.settings;
      foreign.driver->check_settings(as_written, OneKeyReport(report, fk.key));
    }
  }
}

void check_driver_keys(const RawNetwork& raw, const std::string& what, Diagnostics& diag) {
  check_other_drivers_keys(raw, what, diag);
  provider_for(raw.net.driver)->check_settings(raw.net, DriverReport(raw, what, diag));
}

bool overlaps(const IpPrefix& a, const IpPrefix& b) {
  return a.addr.family == b.addr.family && (a.contains(b) || b.contains(a));
}

// Location keys of subnet i: the shorthand sits on the network itself.
std::string key_of(const RawNetwork& raw, std::size_t i, const char* field) {
  if (raw.shorthand && i == 0) return field;
  const std::size_t list_index = raw.shorthand ? i - 1 : i;
  return "subnets." + std::to_string(list_index) + "." + field;
}

void check_subnets(const RawNetwork& raw, const std::string& what, Diagnostics& diag) {
  const Network& n = raw.net;
  if (raw.shorthand && raw.where.has("subnets")) {
    diag.error(raw.where.at("subnets"),
               what + ": \"subnets\" and the shorthand subnet/gateway/ip_range are exclusive; use one");
  }
  if (!raw.where.has("subnet") && (raw.where.has("gateway") || raw.where.has("ip_range"))) {
    diag.error(raw.where.at(raw.where.has("gateway") ? "gateway" : "ip_range"),
               what + ": gateway and ip_range need \"subnet\" next to them");
  }
  if (!raw.where.has("subnet") && !raw.where.has("subnets") && !n.driver_settings().takes_pool_subnet()) {
    // Its subnet is a LAN that exists already (a macvlan's parent's): the
    // address pools know nothing of it.
    diag.error(raw.where.object, what + ": driver " + to_string(n.driver) +
                                     " needs a subnet (\"subnet\" or \"subnets\"), the one of the LAN it joins");
  }
  for (std::size_t i = 0; i < n.subnets.size(); ++i) {
    const SubnetSpec& s = n.subnets[i];
    const SourceLocation& at_subnet = raw.where.at(key_of(raw, i, "subnet"));
    if (!s.subnet.is_network()) {
      diag.error(at_subnet, what + ": subnet " + s.subnet.str() + " has host bits set; did you mean " +
                                s.subnet.network_str() + "?");
      continue;
    }
    if (const auto refused = special_range_of(s.subnet)) {
      diag.error(at_subnet, what + ": subnet " + s.subnet.str() + " overlaps " + refused->range.str() + ", which is " +
                                refused->what + " and cannot be a network's subnet; use a private range such as" +
                                (s.subnet.addr.is_v4() ? " 10.0.0.0/8 or 172.16.0.0/12" : " fd00::/8"));
      continue;
    }
    const int max_len = s.subnet.addr.is_v4() ? 30 : 126;
    if (s.subnet.len > max_len) {
      diag.error(at_subnet, what + ": subnet " + s.subnet.str() + " is too small: it needs room for a gateway" +
                                " and containers (at most /" + std::to_string(max_len) + ")");
      continue;
    }
    if (s.gateway) {
      const SourceLocation& at = raw.where.at(key_of(raw, i, "gateway"));
      const IpAddress& g = *s.gateway;
      if (g.family != s.subnet.addr.family || !s.subnet.contains(g))
        diag.error(at, what + ": gateway " + g.str() + " is outside subnet " + s.subnet.str());
      else if (g == s.subnet.network())
        diag.error(at, what + ": gateway " + g.str() + " is the network address of " + s.subnet.str());
      else if (is_v4_broadcast(s.subnet, g))
        diag.error(at, what + ": gateway " + g.str() + " is the broadcast address of " + s.subnet.str());
    }
    if (s.ip_range) {
      const SourceLocation& at = raw.where.at(key_of(raw, i, "ip_range"));
      if (s.ip_range->addr.family != s.subnet.addr.family || !s.subnet.contains(*s.ip_range))
        diag.error(at, what + ": ip_range " + s.ip_range->str() + " is not inside subnet " + s.subnet.str());
      else if (!s.ip_range->is_network())
        diag.error(at, what + ": ip_range " + s.ip_range->str() + " has host bits set; did you mean " +
                           s.ip_range->network_str() + "?");
    }
  }
}

// IPv6 needs links of at least 1280 bytes (RFC 8200); below that the kernel
// takes IPv6 off the interface, so the addresses would silently vanish.
void check_mtu(const RawNetwork& raw, const std::string& what, Diagnostics& diag) {
  constexpr int kIpv6MinMtu = 1280;
  const int mtu = raw.net.mtu;  // the driver's default when not written
  if (mtu >= kIpv6MinMtu) return;
  for (const SubnetSpec& s : raw.net.subnets) {
    if (s.subnet.addr.is_v4()) continue;
    diag.error(raw.where.at("mtu"), what + ": mtu " + std::to_string(mtu) + " is below 1280, the least IPv6 needs," +
                                        " and the network has the IPv6 subnet " + s.subnet.str());
    return;
  }
}

// Overlapping subnets would share routes; one bridge name or one VXLAN id
// would be one kernel object claimed by two networks (the drivers say which
// objects they claim: model/driver_settings.hpp).
void check_across_networks(const RawModel& m, Diagnostics& diag) {
  struct Seen {
    const RawNetwork* net;
    SourceLocation at;
  };
  std::vector<std::pair<IpPrefix, Seen>> subnets;
  std::map<std::string, Seen> claims;  // DriverClaim::key
  for (const RawNetwork& raw : m.networks) {
    const std::string what = "network " + quoted(raw.net.name);
    for (std::size_t i = 0; i < raw.net.subnets.size(); ++i) {
      const IpPrefix& p = raw.net.subnets[i].subnet;
      const SourceLocation& at = raw.where.at(key_of(raw, i, "subnet"));
      for (const auto& [other, seen] : subnets) {
        if (!overlaps(p, other)) continue;
        const std::string whose =
            seen.net == &raw ? "another subnet of this network" : "subnet of network " + quoted(seen.net->net.name);
        diag.error(at, what + ": subnet " + p.str() + " overlaps " + other.str() + ", " + whose + " at " +
                           seen.at.str());
        break;
      }
      subnets.push_back({p, Seen{&raw, at}});
    }
    for (const DriverClaim& claim : raw.net.driver_settings().claims()) {
      const SourceLocation& at = raw.where.at(claim.at_key);
      auto [it, inserted] = claims.emplace(claim.key, Seen{&raw, at});
      if (!inserted && it->second.net->net.name != raw.net.name) {
        diag.error(at, what + ": " + claim.label + " is already used by network " +
                           quoted(it->second.net->net.name) + " at " + it->second.at.str() +
                           (raw.where.has(claim.at_key) ? "" : claim.hint));
      }
    }
  }
}

}  // namespace

void check_networks(const RawModel& m, Diagnostics& diag) {
  for (const RawNetwork& raw : m.networks) {
    const std::string what = "network " + quoted(raw.net.name);
    check_driver_keys(raw, what, diag);
    check_subnets(raw, what, diag);
    check_mtu(raw, what, diag);
  }
  check_across_networks(m, diag);
}

}  // namespace topo::loader
