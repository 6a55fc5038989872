#include "reconciler/graph/live_states.hpp"

namespace topo::graph {
namespace {

struct Tally {
  int objects = 0, ok = 0, missing = 0, extra = 0;
  bool itself_missing = false;  // its namespace or one of its links
};

// The element an object draws on: ports by their rule, the rest by origin.
std::string element_of(const Resource& r) {
  static const std::string publish = "publish ";
  if (r.kind == Kind::Firewall && r.name.rfind(publish, 0) == 0 && r.origin.rfind("container/", 0) == 0)
    return "port/" + r.origin.substr(10) + "/" + r.name.substr(publish.size());
  return r.origin;
}

}  // namespace

LiveState LiveStates::of(const std::string& origin) const {
  auto it = by_origin.find(origin);
  return it == by_origin.end() ? LiveState::None : it->second;
}

std::string port_origin(const std::string& container, const std::string& host_ip, int host_port,
                        const std::string& protocol) {
  // As the firewall provider names the rule: every host address is 0.0.0.0.
  return "port/" + container + "/" + (host_ip.empty() ? "0.0.0.0" : host_ip) + ":" + std::to_string(host_port) + "/" +
         protocol;
}

LiveStates live_states_of(const std::vector<ObjectStatus>& statuses) {
  std::map<std::string, Tally> tallies;
  for (const ObjectStatus& s : statuses) {
    const Resource& r = s.state == ObjectState::Extra ? s.observed : s.desired;
    const std::string element = element_of(r);
    if (element.empty()) continue;  // shared objects (topo's tables, forwarding switches) draw on nothing
    Tally& t = tallies[element];
    ++t.objects;
    switch (s.state) {
      case ObjectState::Ok: ++t.ok; break;
      case ObjectState::Drift: break;
      case ObjectState::Missing:
        ++t.missing;
        if (r.kind == Kind::Namespace || r.kind == Kind::Link) t.itself_missing = true;
        break;
      case ObjectState::Extra: ++t.extra; break;
    }
  }
  LiveStates out;
  for (const auto& [element, t] : tallies) {
    LiveState state = LiveState::Drift;
    if (t.extra == t.objects)
      state = LiveState::Extra;
    else if (t.itself_missing || t.missing == t.objects)
      state = LiveState::Missing;
    else if (t.ok == t.objects)
      state = LiveState::Ok;
    out.by_origin[element] = state;
  }
  return out;
}

}  // namespace topo::graph
