#include "reconciler/ipam/veth_names.hpp"

#include <cstdio>
#include <map>
#include <set>

namespace topo {

std::string derive_host_veth_name(const std::string& container, const std::string& interface, int candidate) {
  // The candidate number goes first: FNV is a running state, so two seeds
  // that clash clash again with any common suffix appended (which is just
  // the case candidates are for). Names hold no '/', so "<n>/<c>/<i>" never
  // spells another attachment's "<c>/<i>".
  std::string seed = container + "/" + interface;
  if (candidate > 0) seed = std::to_string(candidate) + "/" + seed;
  std::uint32_t h = 2166136261u;
  for (unsigned char c : seed) h = (h ^ c) * 16777619u;
  char buf[16];
  std::snprintf(buf, sizeof buf, "veth%08x", h);
  return buf;
}

namespace {

// Who holds a name in the host namespace. `owner`: the attachment
// ("<container>/<interface>") whose own pair it is, if any: a name is never
// taken from itself.
struct Holder {
  std::string what;
  std::string owner;
};

// Attachments to a network with a bridge on the host are veth pairs whose
// host ends are its ports (driver_settings.hpp).
bool has_veth(const Desired& desired, const Attachment& att) {
  const Network* net = desired.network(att.network);
  return net && !net->driver_settings().host_bridge().empty();
}

std::string of_stack(const Resource& r, bool held) {
  return held && !r.stack.empty() ? " of stack " + r.stack : "";
}

std::map<std::string, Holder> holders_of(const Desired& desired, const Observed& observed) {
  std::map<std::string, Holder> out;
  // A stranded host end (resource.hpp) is removed ahead of any create of the
  // same plan: its name is free for the container it belonged to.
  std::set<std::string> going;
  for (const Resource& r : observed.owned)
    if (r.kind == Kind::Link && r.ns.empty() && r.attr(attr::mark) == attr::mark_stranded) going.insert(r.name);
  for (const Network& net : desired.networks)
    if (const std::string bridge = net.driver_settings().host_bridge(); !bridge.empty())
      out.emplace(bridge, Holder{"the bridge of network " + net.name, ""});
  for (const auto* set : {&observed.owned, &observed.held_resources}) {
    const bool held = set == &observed.held_resources;
    for (const Resource& r : *set) {
      if (r.kind != Kind::Link || (r.ns.empty() && going.count(r.name))) continue;
      if (r.ns.empty()) {
        out.emplace(r.name, Holder{"topo's link " + r.name + " (" + r.origin + of_stack(r, held) + ")", ""});
        continue;
      }
      const std::string peer = r.attr(attr::peer);
      if (peer.empty()) continue;
      out.emplace(peer, Holder{"the host end of " + r.ns + "/" + r.name + "'s veth" + of_stack(r, held),
                               held ? "" : r.ns + "/" + r.name});
    }
  }
  const std::string host_link = to_string(Kind::Link) + " /";
  for (const std::string& key : observed.foreign)
    if (key.rfind(host_link, 0) == 0)
      out.emplace(key.substr(host_link.size()), Holder{"a link topo does not own", ""});
  for (const std::string& name : observed.host_links)
    if (!going.count(name)) out.emplace(name, Holder{"an existing link of the host namespace", ""});
  return out;
}

// The veth pairs the kernel has, by "<container>/<interface>": their host end.
std::map<std::string, std::string> live_pairs(const Observed& observed) {
  std::map<std::string, std::string> out;
  for (const Resource& r : observed.owned)
    if (r.kind == Kind::Link && !r.ns.empty() && r.attr(attr::type) == "veth" && !r.attr(attr::peer).empty())
      out[r.ns + "/" + r.name] = r.attr(attr::peer);
  return out;
}

bool is_candidate(const Attachment& att, const std::string& name) {
  for (int n = 0; n < kHostVethCandidates; ++n)
    if (derive_host_veth_name(att.container, att.interface, n) == name) return true;
  return false;
}

}  // namespace

VethNameResult assign_host_veth_names(const Desired& desired, const Allocations& remembered,
                                      const Observed& observed, Allocations& allocations) {
  VethNameResult result;
  const std::map<std::string, Holder> holders = holders_of(desired, observed);
  const std::map<std::string, std::string> live = live_pairs(observed);
  std::map<std::string, std::string> chosen_by;  // name -> "<container>/<interface>" that took it here
  std::vector<const Attachment*> todo;

  auto self = [](const Attachment& att) { return att.container + "/" + att.interface; };
  // What holds `name` other than `att` itself, "" when it is free for it.
  auto taken_by = [&](const Attachment& att, const std::string& name) -> std::string {
    if (auto h = holders.find(name); h != holders.end() && h->second.owner != self(att)) return h->second.what;
    if (auto c = chosen_by.find(name); c != chosen_by.end() && c->second != self(att))
      return "the attachment " + c->second;
    return "";
  };
  auto take = [&](const Attachment& att, const std::string& name) {
    chosen_by[name] = self(att);
    allocations[attachment_key(att)].host_veth = name;
  };

  // 1. A live pair keeps its name, whoever else would want it.
  for (const Attachment& att : desired.attachments) {
    if (!has_veth(desired, att)) continue;
    auto l = live.find(self(att));
    if (l != live.end() && is_candidate(att, l->second) && !chosen_by.count(l->second)) {
      take(att, l->second);
      continue;
    }
    todo.push_back(&att);
  }
  // 2. and 3. Otherwise the remembered name, else the first free candidate.
  for (const Attachment* att : todo) {
    const std::string first = derive_host_veth_name(att->container, att->interface, 0);
    std::string name;
    if (auto r = remembered.find(attachment_key(*att)); r != remembered.end()) {
      const std::string& was = r->second.host_veth;
      if (!was.empty() && is_candidate(*att, was) && taken_by(*att, was).empty()) name = was;
    }
    for (int n = 0; name.empty() && n < kHostVethCandidates; ++n) {
      const std::string candidate = derive_host_veth_name(att->container, att->interface, n);
      if (taken_by(*att, candidate).empty()) name = candidate;
    }
    if (name.empty()) {
      result.errors.push_back(att->where.str() + ": attachment of " + att->container + " to " + att->network +
                              ": none of the " + std::to_string(kHostVethCandidates) +
                              " host-side veth names topo derives for it is free (the first, " + first +
                              ", is taken by " + taken_by(*att, first) +
                              "); free one of them, or rename the container or interface");
      continue;
    }
    if (name != first)
      if (const std::string holder = taken_by(*att, first); !holder.empty())
        result.notes.push_back("attachment " + self(*att) + " (network " + att->network + "): host veth name " +
                               first + " is taken by " + holder + "; using " + name + " instead");
    take(*att, name);
  }
  return result;
}

}  // namespace topo
