#pragma once
// Overlay networks: one L2 segment spanning several hosts. On each node that
// has containers on it: the bridge network's pieces (bridge, gateway address,
// veth attachments: the bridge provider renders them) plus a VXLAN device as
// a port of the bridge, and static forwarding entries on it computed from the
// manifests alone:
//   - per other node of the network, an all-zeros MAC entry towards its
//     address (broadcast and unknown unicast: head-end replication);
//   - per container on another node, its MAC towards that node's address.
// VXLAN learning is off: nothing but the manifests decides where frames go.
#include "providers/bridge/bridge_provider.hpp"
#include "providers/overlay/overlay_settings.hpp"
#include "providers/provider.hpp"

namespace topo {

class OverlayProvider : public Provider {
 public:
  Driver driver() const override { return Driver::Overlay; }
  std::vector<std::string> keys() const override;
  int default_mtu() const override { return 1450; }  // 1500 less the VXLAN headers over IPv4
  std::shared_ptr<const DriverSettings> read_settings(const Network& net, const KeyReader& keys) const override {
    return read_overlay_settings(net, keys);
  }
  void check_settings(const Network& net, const KeyReport& report) const override {
    check_overlay_settings(net, report);
  }
  void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const override;
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;

 private:
  BridgeProvider bridge_;
};

// Kernel name of a network's VXLAN device: "vx-" + 8 hex digits of a hash of
// the network name; stable, the same on every node, within 15 bytes.
std::string vxlan_name(const std::string& network);

// A network's VXLAN device: its id and port, the node's underlay address as
// source ("" for none), learning off (topo programs where frames go).
Resource vxlan_device(const Network& net, const OverlaySettings& settings, const std::string& local);

// The all-zeros MAC of flooding entries.
inline constexpr const char* kFloodMac = "00:00:00:00:00:00";

// An FDB resource on `dev`: frames for `mac` go to the node at `dst`.
Resource fdb_entry(const std::string& dev, const std::string& mac, const std::string& dst,
                   const std::string& origin);

}  // namespace topo
