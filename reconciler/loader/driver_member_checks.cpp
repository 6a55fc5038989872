// A driver's rules on the attachments of one of its networks taken together
// (Provider::check_members), so a driver that needs them brings them in its
// own folder instead of adding a check here.
#include <map>
#include <vector>

#include "providers/provider.hpp"
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {

void check_driver_members(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  std::map<std::string, std::vector<const Attachment*>> members;  // by network, in manifest order
  for (const RawAttachment& raw : m.attachments) members[raw.a.network].push_back(&raw.a);
  for (const auto& [name, net] : names.networks) {
    const Provider* driver = provider_for(net->net.driver);
    if (!driver) continue;
    auto it = members.find(name);
    const std::vector<const Attachment*> none;
    for (Provider::Problem& p : driver->check_members(net->net, it == members.end() ? none : it->second))
      diag.error(std::move(p.where), std::move(p.message));
  }
}

}  // namespace topo::loader
