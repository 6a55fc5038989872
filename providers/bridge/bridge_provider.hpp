#pragma once
// User-defined bridge networks: a Linux bridge in the host namespace carrying
// the gateway addresses, and per attachment a veth pair whose container end is
// the container's interface and whose host end is a port of the bridge.
#include "providers/provider.hpp"

namespace topo {

class BridgeProvider : public Provider {
 public:
  Driver driver() const override { return Driver::Bridge; }
  void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const override;
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;
};

// Host-end name of a container's veth: "veth" + 8 hex digits of a hash of
// "<container>/<interface>", stable and within the 15-byte limit.
std::string host_veth_name(const std::string& container, const std::string& interface);

}  // namespace topo
