#pragma once
// A provider is one driver: it reads, defaults and checks the driver's own
// manifest keys (the loader calls it), and turns the model into primitive
// resources. Pure: it sees the model and the allocations, never the kernel.
// It also decides which attributes force a replacement (Resource::replace_on).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "providers/driver_keys.hpp"
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
  // Links of the host namespace that topo does not own, by name: an 802.1q
  // parent that exists already is used as it is, never made or touched.
  std::set<std::string> foreign_host_links{};
  // The whole model's attachments by container and by network, made on
  // first use (files_provider.cpp): the hosts files of N containers would
  // otherwise scan all N attachments each, N² at a thousand containers.
  mutable std::shared_ptr<const AttachmentIndex> attachment_index = nullptr;
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual Driver driver() const = 0;

  // Its manifest keys besides the ones every network has (name, driver,
  // subnets, mtu, internal). Another driver's key on its network is refused.
  virtual std::vector<std::string> keys() const = 0;
  virtual int default_mtu() const { return 1500; }
  // Its keys as written, defaults filled. `net` has the shared keys read.
  virtual std::shared_ptr<const DriverSettings> read_settings(const Network& net, const KeyReader& keys) const = 0;
  // The rules on its keys, with the messages the manifest's author sees.
  virtual void check_settings(const Network& net, const KeyReport& report) const = 0;
  // The rules on a network's attachments taken together (a driver that
  // joins exactly two containers, say); the loader checks each attachment on
  // its own already. None of today's drivers has any.
  struct Problem {
    SourceLocation where;
    std::string message;  // whole, as the author sees it
  };
  virtual std::vector<Problem> check_members(const Network& /*net*/,
                                             const std::vector<const Attachment*>& /*members*/) const {
    return {};
  }

  // Host-side resources of a network (bridge, gateway address, ...).
  virtual void render_network(const Network& net, const RenderContext& ctx, std::vector<Resource>& out) const = 0;
  // Resources of one container's attachment to a network of this driver.
  virtual void render_attachment(const Attachment& att, const Network& net, const RenderContext& ctx,
                                 std::vector<Resource>& out) const = 0;
};

// The provider of a driver, or nullptr when it is not built yet.
const Provider* provider_for(Driver d);
// By the name a manifest gives the driver; nullptr for an unknown name.
const Provider* provider_named(const std::string& name);
// Every driver, in the order messages list them (registry.cpp).
const std::vector<const Provider*>& all_providers();
// The keys other drivers take and `d` does not, in key order, each with the
// drivers that take it in registry order: on a network of `d` they are refused.
struct ForeignKey {
  std::string key;
  std::vector<const Provider*> drivers;
};
std::vector<ForeignKey> foreign_keys(Driver d);

// Everything the model asks for: namespaces of containers, then every network
// and attachment through its driver's provider. Errors name the manifest
// object (e.g. a driver with no provider yet).
struct RenderResult {
  std::vector<Resource> resources;
  std::vector<std::string> errors;
};
RenderResult render_all(const Desired& desired, const Allocations& allocations,
                        const std::string& host_resolv_conf = "",
                        const std::set<std::string>& foreign_host_links = {});

}  // namespace topo
