#pragma once
// macvlan and ipvlan networks: no bridge and nothing on the host side. Each
// attachment is one sub-interface of the network's parent (a host link),
// created directly inside the container's namespace under its final name.
// The network's gateway is an outside router, used only for the default
// route. Parent and mode are fixed when the link is made: changing either
// replaces it.
#include "providers/provider.hpp"
#include "providers/sub_interface/sub_interface_settings.hpp"

namespace topo {

class SubInterfaceProvider : public Provider {
 public:
  explicit SubInterfaceProvider(Driver d) : driver_(d) {}
  Driver driver() const override { return driver_; }
  std::vector<std::string> keys() const override { return {"parent", "mode"}; }
  std::shared_ptr<const DriverSettings> read_settings(const Network&, const KeyReader& keys) const override {
    return read_sub_interface_settings(driver_, keys);
  }
  void check_settings(const Network& net, const KeyReport& report) const override {
    check_sub_interface_settings(net, report);
  }
  // Nothing on the host, but for a parent `IFACE.VID` that does not exist:
  // the 802.1q trunk, made by topo off IFACE (as Docker's macvlan driver
  // does), and removed when no network needs it. An existing one is the
  // user's and is used as it is.
  void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const override;
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;

 private:
  Driver driver_;
};

}  // namespace topo
