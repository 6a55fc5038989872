#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {
namespace {

template <typename Raw, typename NameOf>
void index_names(const std::vector<Raw>& items, const char* kind, NameOf name_of,
                 std::map<std::string, const Raw*>& index, Diagnostics& diag) {
  for (const Raw& item : items) {
    const std::string& name = name_of(item);
    auto [it, inserted] = index.emplace(name, &item);
    if (!inserted) {
      diag.error(item.where.object, std::string(kind) + " " + quoted(name) + " is defined twice: first at " +
                                        it->second->where.object.str());
    }
  }
}

}  // namespace

NameIndex check_names(const RawModel& m, Diagnostics& diag) {
  NameIndex idx;
  index_names(m.networks, "network", [](const RawNetwork& n) -> const std::string& { return n.net.name; },
              idx.networks, diag);
  index_names(m.containers, "container", [](const RawContainer& c) -> const std::string& { return c.c.name; },
              idx.containers, diag);
  index_names(m.hosts, "host", [](const RawHost& h) -> const std::string& { return h.h.name; }, idx.hosts, diag);

  // Two nodes with one underlay address would make VXLAN peers ambiguous.
  std::map<IpAddress, const RawHost*> addresses;
  for (const RawHost& h : m.hosts) {
    if (h.h.address.family == 0) continue;  // unparsable; already reported
    auto [it, inserted] = addresses.emplace(h.h.address, &h);
    if (!inserted && it->second->h.name != h.h.name) {
      diag.error(h.where.at("address"), "host " + quoted(h.h.name) + ": address " + h.h.address.str() +
                                            " is already the address of host " + quoted(it->second->h.name) +
                                            " (" + it->second->where.at("address").str() + ")");
    }
  }
  return idx;
}

}  // namespace topo::loader
