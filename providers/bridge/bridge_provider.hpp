#pragma once
// User-defined bridge networks: a Linux bridge in the host namespace carrying
// the gateway addresses, and per attachment a veth pair whose container end is
// the container's interface and whose host end is a port of the bridge.
#include "providers/bridge/bridge_settings.hpp"
#include "providers/provider.hpp"

namespace topo {

class BridgeProvider : public Provider {
 public:
  Driver driver() const override { return Driver::Bridge; }
  std::vector<std::string> keys() const override;
  std::shared_ptr<const DriverSettings> read_settings(const Network& net, const KeyReader& keys) const override {
    return read_bridge_settings(net, keys);
  }
  void check_settings(const Network& net, const KeyReport& report) const override {
    check_bridge_settings(net, report);
  }
  void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const override;
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;
};

// First choice of host-end name for a container's veth: "veth" + 8 hex
// digits of a hash of "<container>/<interface>", stable and within the
// 15-byte limit. Hashes clash, so the name used is allocated (host_veth_of).
std::string host_veth_name(const std::string& container, const std::string& interface);
// The host-end name allocated to an attachment (ipam/veth_names.hpp), or the
// first choice when none was (a model rendered without allocation).
std::string host_veth_of(const Attachment& att, const Allocations& allocations);

// accept_ra=0 and autoconf=0 on an interface topo makes (a bridge, either
// end of a veth) in namespace `ns`, as Sysctl resources tied to `link` (the
// Link resource that makes it). The kernel's defaults take Router Advertisements
// on any interface while IPv6 forwarding is off: a root process in a
// container could give the host a default route through itself and an
// address (the class of CVE-2020-13401). topo is the router of its networks,
// never a host on them, so this holds on IPv6 networks too.
void no_router_advertisements(const std::string& ns, const std::string& ifname, const Resource& link,
                              const std::string& origin, std::vector<Resource>& out);

}  // namespace topo
