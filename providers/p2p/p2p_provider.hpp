#pragma once
// p2p networks: exactly two containers joined by one veth pair, each end in
// its container's namespace, with no bridge and no gateway (the `ip netns
// add` + `ip link add ... type veth peer ...` walkthrough). Addresses come
// from the subnet as for any network; no default route goes through it.
//
// The pair is one Link resource, on the first member (by container name):
// its `peer` is the second member's interface and `peer_ns` that member's
// namespace. The second end is marked as the pair's peer (like a bridge
// veth's host end) and carries its own addresses and settings.
#include "providers/provider.hpp"

namespace topo {

// No keys of its own; what sets it apart is what it lacks.
struct P2pSettings : DriverSettings {
  bool has_gateway() const override { return false; }
  bool takes_pool_subnet() const override { return true; }
  // No keys of its own to show.
  std::vector<std::pair<std::string, std::string>> options() const override { return {}; }
};

class P2pProvider : public Provider {
 public:
  Driver driver() const override { return Driver{"p2p"}; }
  std::vector<std::string> keys() const override { return {}; }
  std::shared_ptr<const DriverSettings> read_settings(const Network&, const KeyReader&) const override {
    return std::make_shared<const P2pSettings>();
  }
  void check_settings(const Network& net, const KeyReport& report) const override;
  std::vector<Problem> check_members(const Network& net, const std::vector<const Attachment*>& members) const override;
  // Nothing on the host.
  void render_network(const Network&, const RenderContext&, std::vector<Resource>&) const override {}
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;
};

}  // namespace topo
