#pragma once
// The keys of an overlay network: the bridge its members meet on on each node
// (bridge_settings.hpp's options; `routed` is a bridge network's only), and
// the VXLAN id and UDP port that join the nodes.
#include <cstdint>
#include <memory>
#include <optional>

#include "providers/bridge/bridge_settings.hpp"

namespace topo {

struct OverlaySettings : DriverSettings, BridgeOptions {
  std::optional<std::uint32_t> vni;  // required: the loader refuses a network without it
  int port = 4789;
  // Cluster mode (manifest.md "Cluster mode (etcd)"): each node leases a
  // subnet of this length out of the network's subnet, as flannel does, and
  // the nodes' subnets are routed to each other by `backend`.
  std::optional<int> subnet_per_node;
  enum class Backend { Vxlan, HostGw } backend = Backend::Vxlan;

  std::string host_bridge() const override { return bridge; }
  std::vector<std::string> own_bridge_ports() const override { return {"its VXLAN device"}; }
  bool masquerades() const override { return masquerade; }
  // On one node only: nodes choose apart (loader/overlay_checks.cpp).
  bool takes_pool_subnet() const override { return true; }
  std::vector<DriverClaim> claims() const override;
  bool spans_nodes() const override { return true; }
  std::optional<int> share_per_node() const override { return subnet_per_node; }
  std::vector<std::pair<std::string, std::string>> options() const override;
  bool members_reach_each_other() const override { return icc; }
  bool isolated() const override { return BridgeOptions::isolated; }
};

std::shared_ptr<const DriverSettings> read_overlay_settings(const Network& net, const KeyReader& keys);
void check_overlay_settings(const Network& net, const KeyReport& report);

}  // namespace topo
