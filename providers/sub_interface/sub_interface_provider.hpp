#pragma once
// macvlan and ipvlan networks: no bridge and nothing on the host side. Each
// attachment is one sub-interface of the network's parent (a host link),
// created directly inside the container's namespace under its final name.
// The network's gateway is an outside router, used only for the default
// route. Parent and mode are fixed when the link is made: changing either
// replaces it.
#include "providers/provider.hpp"

namespace topo {

class SubInterfaceProvider : public Provider {
 public:
  explicit SubInterfaceProvider(Driver d) : driver_(d) {}
  Driver driver() const override { return driver_; }
  // Nothing on the host: the parent is the user's, never topo's.
  void render_network(const Network&, const RenderContext&, std::vector<Resource>&) const override {}
  void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                         std::vector<Resource>& out) const override;

 private:
  Driver driver_;
};

}  // namespace topo
