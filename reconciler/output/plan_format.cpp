#include "reconciler/output/plan_format.hpp"
#include "reconciler/output/format_version.hpp"

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "reconciler/output/file_text.hpp"
#include "reconciler/state/state_store.hpp"

namespace topo {

namespace {

using nlohmann::json;

const char* kGreen = "\033[32m";
const char* kYellow = "\033[33m";
const char* kRed = "\033[31m";
const char* kReset = "\033[0m";

std::string where(const Resource& r) { return r.ns.empty() ? r.name : r.ns + ":" + r.name; }

// The attributes worth showing on a create line, in a fixed order.
std::string summary(const Resource& r) {
  std::vector<std::string> parts;
  auto add = [&](const char* key, const char* label) {
    std::string v = r.attr(key);
    if (!v.empty()) parts.push_back(std::string(label) + v);
  };
  if (r.kind == Kind::Link) {
    add(attr::type, "");
    // A p2p pair's far end is in another container: "peer c2:eth0".
    if (const std::string ns = r.attr(attr::peer_ns); !ns.empty())
      parts.push_back("peer " + ns + ":" + r.attr(attr::peer));
    else
      add(attr::peer, "peer ");
    add("parent", "parent ");     // macvlan/ipvlan (resources/mode_attrs.hpp)
    add("link_mode", "mode ");
    add("vlan_id", "vlan ");     // an 802.1q trunk
    add(attr::master, "master ");
    add(attr::mac, "mac ");
    add(attr::mtu, "mtu ");
    add(attr::vni, "vni ");
    add(attr::port, "port ");
    add(attr::local, "local ");
  }
  // A bind-mount entry: host, container:<name> or adopted:<path>.
  if (r.kind == Kind::Namespace) add("mode", "");
  if (r.kind == Kind::Firewall) {
    // What the intent does, in words; its name already says what it is about.
    std::string i = r.attr("intent");
    if (i == "masquerade") parts.push_back(r.attr("subnets") + " leaving " + r.attr("bridge"));
    if (i == "publish") parts.push_back("to " + r.attr("container") + " " + r.attr("to"));
    if (i == "publish" && !r.attr("chosen").empty()) parts.push_back("host port chosen by topo");
    if (i == "internal") parts.push_back("nothing forwarded in or out of " + r.attr("bridge"));
    if (i == "icc-off") parts.push_back("port " + r.attr("port") + " talks only to the host on " + r.attr("bridge"));
  }
  if (r.kind == Kind::Neighbour) add(attr::mac, "lladdr ");
  if (r.kind == Kind::Sysctl) add(attr::value, "value ");
  if (r.kind == Kind::File) parts.push_back(line_count_text(r.attr(attr::content)));  // never the whole text
  if (parts.empty()) return "";
  std::string s = " (";
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
  return s + ")";
}

std::string changes_text(const std::vector<FieldChange>& changes) {
  std::string s;
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    if (c.field == attr::content) {  // a file's text: what an edit changed, not both texts
      s += (i ? ", " : "") + c.field + " " + content_change_text(c.from, c.to);
      continue;
    }
    s += (i ? ", " : "") + c.field + " " + (c.from.empty() ? "(none)" : c.from) + " -> " + c.to;
  }
  return s;
}

json resource_json(const Resource& r) {
  json j;
  j["kind"] = to_string(r.kind);
  j["namespace"] = r.ns;
  j["name"] = r.name;
  j["attrs"] = r.attrs;
  if (!r.replace_on.empty()) j["replace_on"] = r.replace_on;
  j["origin"] = r.origin;
  if (!r.stack.empty()) j["stack"] = r.stack;
  return j;
}

Kind kind_from(const std::string& s) {
  for (Kind k : kAllKinds)
    if (to_string(k) == s) return k;
  throw std::runtime_error("unknown resource kind \"" + s + "\"");
}

Resource resource_from(const json& j) {
  Resource r;
  r.kind = kind_from(j.at("kind").get<std::string>());
  r.ns = j.at("namespace").get<std::string>();
  r.name = j.at("name").get<std::string>();
  r.attrs = j.at("attrs").get<std::map<std::string, std::string>>();
  if (j.contains("replace_on")) r.replace_on = j.at("replace_on").get<std::set<std::string>>();
  r.origin = j.value("origin", "");
  r.stack = j.value("stack", "");
  return r;
}

ActionType action_from(const std::string& s) {
  for (ActionType t : {ActionType::Create, ActionType::Update, ActionType::Delete, ActionType::Replace})
    if (to_string(t) == s) return t;
  throw std::runtime_error("unknown action \"" + s + "\"");
}

json action_json(const Action& a) {
  json j;
  j["action"] = to_string(a.type);
  j["resource"] = a.subject().key();
  j["description"] = describe(a.subject());
  j["origin"] = a.subject().origin;
  if (a.type != ActionType::Create) j["before"] = resource_json(a.before());
  if (a.type != ActionType::Delete) j["after"] = resource_json(a.after());
  if (!a.changes.empty()) {
    j["changes"] = json::array();
    for (const auto& c : a.changes) j["changes"].push_back({{"field", c.field}, {"from", c.from}, {"to", c.to}});
  }
  if (!a.forced_by.empty()) j["forced_by"] = a.forced_by;
  return j;
}

json summary_json(const Plan& p) {
  return {{"add", p.to_add()}, {"change", p.to_change()}, {"destroy", p.to_destroy()}};
}

}  // namespace

std::string describe(const Resource& r) {
  switch (r.kind) {
    case Kind::Namespace: return "namespace " + r.name;
    case Kind::Link:
      if (r.attr(attr::mark) == attr::mark_stranded)
        return "link " + where(r) + " (stranded: the host end of " + r.origin +
               "'s veth, whose namespace was unmounted while a process held it)";
      return "link " + where(r);
    case Kind::Address: {
      std::string dev = r.attr(attr::dev);
      return "address " + (r.ns.empty() ? dev : r.ns + ":" + dev) + " " + r.attr(attr::address);
    }
    case Kind::Route: {
      std::string s = "route " + where(r);
      if (!r.attr(attr::via).empty()) s += " via " + r.attr(attr::via);
      if (!r.attr(attr::dev).empty()) s += " dev " + r.attr(attr::dev);
      if (r.attr(attr::onlink) == "on") s += " onlink";
      return s;
    }
    // As `ip neigh` shows it: "neighbour 10.50.2.0 dev vx-1" (in a container: "c1:vx-1").
    case Kind::Neighbour: {
      const std::string dev = r.attr(attr::dev);
      return "neighbour " + r.attr(attr::ip) + " dev " + (r.ns.empty() ? dev : r.ns + ":" + dev);
    }
    case Kind::Fdb:
    case Kind::Sysctl:
    case Kind::File:
    case Kind::Firewall: return to_string(r.kind) + " " + where(r);
  }
  return r.key();
}

std::string format_plan_text(const Plan& plan, bool colour) {
  std::ostringstream out;
  auto paint = [&](const char* c, const std::string& s) { return colour ? c + s + kReset : s; };
  for (const auto& a : plan.actions) {
    switch (a.type) {
      case ActionType::Create: out << paint(kGreen, "  + ") << describe(a.after()) << summary(a.after()) << "\n"; break;
      case ActionType::Delete: out << paint(kRed, "  - ") << describe(a.before()) << summary(a.before()) << "\n"; break;
      case ActionType::Update:
        out << paint(kYellow, "  ~ ") << describe(a.after()) << ": " << changes_text(a.changes) << "\n";
        break;
      case ActionType::Replace:
        out << paint(kRed, "-/+ ") << describe(a.after()) << " (" << a.forced_by
            << " forces replacement): " << changes_text(a.changes) << "\n";
        break;
    }
  }
  if (!plan.notes.empty()) out << (plan.empty() ? "" : "\n");
  for (const auto& n : plan.notes) out << "Note: " << n << "\n";
  if (plan.empty()) {
    out << "No changes.\n";
  } else {
    out << "\nPlan: " << plan.to_add() << " to add, " << plan.to_change() << " to change, " << plan.to_destroy()
        << " to destroy.\n";
  }
  return out.str();
}

std::string format_plan_json(const Plan& plan) {
  json j;
  j["format_version"] = kJsonFormatVersion;
  j["actions"] = json::array();
  for (const auto& a : plan.actions) j["actions"].push_back(action_json(a));
  j["summary"] = summary_json(plan);
  j["changes"] = !plan.empty();
  j["warnings"] = plan.warnings;
  j["notes"] = plan.notes;
  // Which subnet each network without one has (from the pools), chosen now or earlier.
  j["subnets"] = json::object();
  for (const auto& [network, c] : plan.subnets) j["subnets"][network] = c.subnet.str();
  return j.dump(2) + "\n";
}

std::string format_diff_text(const std::vector<ObjectStatus>& statuses, bool colour) {
  std::ostringstream out;
  auto paint = [&](const char* c, const std::string& s) { return colour ? c + s + kReset : s; };
  for (const auto& s : statuses) {
    const Resource& r = s.state == ObjectState::Extra ? s.observed : s.desired;
    switch (s.state) {
      case ObjectState::Ok: out << "ok       " << describe(r) << "\n"; break;
      case ObjectState::Missing: out << paint(kGreen, "missing  ") << describe(r) << "\n"; break;
      case ObjectState::Extra: out << paint(kRed, "extra    ") << describe(r) << "\n"; break;
      case ObjectState::Drift:
        out << paint(kYellow, "drift    ") << describe(r) << ": " << changes_text(s.fields) << "\n";
        break;
    }
  }
  return out.str();
}

std::string format_diff_json(const std::vector<ObjectStatus>& statuses) {
  json j = json::array();
  for (const auto& s : statuses) {
    const Resource& r = s.state == ObjectState::Extra ? s.observed : s.desired;
    json e{{"state", to_string(s.state)}, {"resource", r.key()}, {"description", describe(r)}, {"origin", r.origin}};
    if (!s.fields.empty()) {
      e["fields"] = json::array();
      for (const auto& c : s.fields) e["fields"].push_back({{"field", c.field}, {"live", c.from}, {"desired", c.to}});
    }
    j.push_back(e);
  }
  return json{{"format_version", kJsonFormatVersion}, {"objects", j}}.dump(2) + "\n";
}

std::string format_resources_text(const std::vector<Resource>& resources) {
  std::ostringstream out;
  for (const auto& r : resources)
    out << describe(r) << summary(r) << "  [" << (r.stack.empty() ? std::string("all stacks") : "stack " + r.stack) << ", " << r.origin
        << "]\n";
  if (resources.empty()) out << "topo manages nothing here.\n";
  return out.str();
}

std::string format_resources_json(const std::vector<Resource>& resources) {
  json j = json::array();
  for (const auto& r : resources) j.push_back(resource_json(r));
  return json{{"format_version", kJsonFormatVersion}, {"resources", j}}.dump(2) + "\n";
}

std::vector<Resource> resources_from_json(const std::string& text) {
  std::vector<Resource> out;
  json doc = json::parse(text);  // named: a range-for over a temporary's member would dangle
  for (const auto& j : doc.at("resources")) out.push_back(resource_from(j));
  return out;
}

std::string plan_to_file(const Plan& plan) {
  json j;
  j["topo_plan"] = 1;
  j["observed_digest"] = plan.observed_digest;
  j["stacks"] = plan.stacks;
  j["allocations"] = json::parse(allocations_to_json(plan.allocations));
  j["subnets"] = json::parse(pool_choices_to_json(plan.subnets));
  j["notes"] = plan.notes;
  j["actions"] = json::array();
  for (const auto& a : plan.actions) j["actions"].push_back(action_json(a));
  return j.dump(2) + "\n";
}

Plan plan_from_file(const std::string& text) {
  try {
    json j = json::parse(text);
    if (j.value("topo_plan", 0) != 1) throw std::runtime_error("not a topo plan file (no \"topo_plan\": 1)");
    Plan p;
    p.observed_digest = j.at("observed_digest").get<std::string>();
    if (j.contains("stacks")) p.stacks = j.at("stacks").get<std::set<std::string>>();
    p.allocations = allocations_from_json(j.at("allocations").dump());
    if (j.contains("subnets")) p.subnets = pool_choices_from_json(j.at("subnets").dump());
    if (j.contains("notes")) p.notes = j.at("notes").get<std::vector<std::string>>();
    for (const auto& ja : j.at("actions")) {
      Action a;
      a.type = action_from(ja.at("action").get<std::string>());
      if (ja.contains("before")) a.set_before(resource_from(ja.at("before")));
      if (ja.contains("after")) a.set_after(resource_from(ja.at("after")));
      if (ja.contains("changes"))
        for (const auto& c : ja.at("changes"))
          a.changes.push_back({c.at("field").get<std::string>(), c.at("from").get<std::string>(),
                               c.at("to").get<std::string>()});
      a.forced_by = ja.value("forced_by", "");
      p.actions.push_back(std::move(a));
    }
    return p;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed plan file: ") + e.what());
  }
}

}  // namespace topo
