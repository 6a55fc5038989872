#pragma once
// A provider turns the model into primitive resources for one driver. Pure:
// it sees the model and the allocations, never the kernel. It also decides
// which attributes force a replacement (Resource::replace_on).
#include <memory>
#include <string>
#include <vector>

#include "reconciler/ipam/ipam.hpp"
#include "reconciler/model/desired.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo {

struct AttachmentIndex;

struct RenderContext {
  const Desired& desired;
  const Allocations& allocations;
  // Text of the host's /etc/resolv.conf, read by the caller so providers stay
  // pure; containers without their own dns settings get a copy.
  std::string host_resolv_conf;
  // The whole model's attachments by container and by network, made on
  // first use (files_provider.cpp): the hosts files of N containers would
  // otherwise scan all N attachments each, N² at a thousand containers.
  mutable std::shared_ptr<const AttachmentIndex> attachment_index = nullptr;
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual Driver driver() const = 0;
  // Host-side resources of a network (bridge, gateway address, ...).
  virtual void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const = 0;
  // Resources of one container's attachment to a network of this driver.
  virtual void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                 std::vector<Resource>& out) const = 0;
};

// The provider of a driver, or nullptr when it is not built yet.
const Provider* provider_for(Driver d);

// Everything the model asks for: namespaces of containers, then every network
// and attachment through its driver's provider. Errors name the manifest
// object (e.g. a driver with no provider yet).
struct RenderResult {
  std::vector<Resource> resources;
  std::vector<std::string> errors;
};
RenderResult render_all(const Desired& desired, const Allocations& allocations,
                        const std::string& host_resolv_conf = "");

}  // namespace topo
