#pragma once
// The keys of a bridge network, and the part of them an overlay shares (its
// members meet on a bridge too): read with their defaults, and checked.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "providers/driver_keys.hpp"
#include "reconciler/model/desired.hpp"

namespace topo {

// What every network that makes a bridge in the host namespace says about it.
struct BridgeOptions {
  std::string bridge;      // kernel bridge name; default "br-" + name cut to 15 bytes
  bool icc = true;         // containers of the network may talk to each other
  bool masquerade = true;  // default: !internal
  bool isolated = true;    // nothing forwarded between it and topo's other bridges
};

struct BridgeSettings : DriverSettings, BridgeOptions {
  // Hosts beyond this one may open connections to any container address by
  // routing the subnet via the host (off: published ports only).
  bool routed = false;
  // The containers' default route goes via this router on the bridge instead
  // of topo's gateway (daemon.json's default-gateway); the bridge keeps the
  // gateway address. Unset: via the gateway.
  std::optional<IpAddress> default_gateway;
  std::string default_gateway_text;  // as written, for the message when it is no address

  std::string host_bridge() const override { return bridge; }
  bool masquerades() const override { return masquerade; }
  bool takes_pool_subnet() const override { return true; }
  std::vector<IpAddress> reserved_addresses() const override {
    return default_gateway ? std::vector<IpAddress>{*default_gateway} : std::vector<IpAddress>{};
  }
  std::vector<DriverClaim> claims() const override;
  std::vector<std::pair<std::string, std::string>> options() const override;
  bool members_reach_each_other() const override { return icc; }
  bool isolated() const override { return BridgeOptions::isolated; }
};

// "br-" + name, cut to the kernel's 15-byte interface name limit.
std::string default_bridge_name(const std::string& network_name);

// The keys of BridgeOptions, in manifest order.
const std::vector<std::string>& bridge_option_keys();
// Their values as DriverSettings::options() gives them, in that order.
std::vector<std::pair<std::string, std::string>> bridge_option_values(const BridgeOptions& options);
BridgeOptions read_bridge_options(const Network& net, const KeyReader& keys);
void check_bridge_options(const Network& net, const BridgeOptions& options, const KeyReport& report);
// No two networks make one bridge.
DriverClaim bridge_claim(const std::string& bridge);

std::shared_ptr<const DriverSettings> read_bridge_settings(const Network& net, const KeyReader& keys);
void check_bridge_settings(const Network& net, const KeyReport& report);

}  // namespace topo
