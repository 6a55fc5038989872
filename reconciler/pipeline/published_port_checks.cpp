#include "reconciler/pipeline/published_port_checks.hpp"

#include "reconciler/model/ip.hpp"
#include "reconciler/resources/firewall.hpp"

namespace topo {

namespace {

using namespace firewall;

bool is_publish(const Resource& r) { return r.kind == Kind::Firewall && r.attr(fattr::intent) == "publish"; }

bool overlap(const std::string& a, const std::string& b) {
  const auto pa = IpAddress::parse(a), pb = IpAddress::parse(b);
  if (!pa || !pb) return a == b;
  return pa->is_unspecified() || pb->is_unspecified() || *pa == *pb;
}

}  // namespace

std::vector<std::string> published_port_conflicts(const std::vector<Resource>& desired, const Observed& observed) {
  std::vector<std::string> out;
  for (const Resource& mine : desired) {
    if (!is_publish(mine)) continue;
    for (const Resource& theirs : observed.held_resources) {
      if (!is_publish(theirs) || theirs.name == mine.name) continue;  // the same name: the diff says it
      if (theirs.attr(fattr::protocol) != mine.attr(fattr::protocol) ||
          theirs.attr(fattr::host_port) != mine.attr(fattr::host_port) ||
          !overlap(theirs.attr(fattr::host), mine.attr(fattr::host)))
        continue;
      out.push_back(mine.name + " (for " + mine.origin + " in stack " + mine.stack + ") overlaps " + theirs.name +
                    " of container " + theirs.attr(fattr::container) + " in stack " + theirs.stack +
                    ": one host port on overlapping addresses leads to one place; choose another host port");
      break;
    }
  }
  return out;
}

}  // namespace topo
