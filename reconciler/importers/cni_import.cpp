#include "reconciler/importers/cni_import.hpp"

#include "reconciler/importers/json_input.hpp"
#include "reconciler/importers/manifest_writer.hpp"
#include "reconciler/importers/names.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::importers {
namespace {

bool main_plugin(const std::string& type) { return type == "bridge" || type == "macvlan" || type == "ipvlan"; }

// Why a chained plugin is not carried over.
std::string chained_note(const std::string& type) {
  if (type == "portmap") return "not carried over: publish ports per container with `ports`";
  if (type == "firewall")
    return "not carried over: topo's own firewall isolates its networks and forwards their traffic";
  if (type == "tuning") return "not carried over: set sysctls per container with `sysctls` (and `mac` per attachment)";
  if (type == "bandwidth") return "not carried over: topo does not shape traffic";
  return "not carried over: no topo equivalent of the " + type + " plugin";
}

// rangeStart..rangeEnd as a CIDR when it is exactly one block; "" otherwise.
std::string range_as_cidr(const std::string& start, const std::string& end) {
  auto s = IpAddress::parse(start), e = IpAddress::parse(end);
  if (!s || !e || s->family != e->family) return "";
  for (int len = 0; len <= s->bits(); ++len) {
    IpPrefix p{*s, len};
    if (!p.is_network() || !p.contains(*e)) continue;
    if (p.size() < (std::uint64_t{1} << 62) && s->plus(p.size() - 1) == *e) return p.str();
  }
  return "";
}

OutSubnet read_range(const JsonInput& in, const Json& r, const std::string& path) {
  OutSubnet s{in.string(r, "subnet", path), in.string(r, "gateway", path), ""};
  if (s.subnet.empty()) in.fail(path, "a range without `subnet`");
  auto prefix = IpPrefix::parse(s.subnet);
  if (!prefix) in.fail(json_path(path, "subnet"), "\"" + s.subnet + "\" is not a CIDR");
  if (!s.gateway.empty()) {
    auto gw = IpAddress::parse(s.gateway);
    if (!gw || gw->family != prefix->addr.family)
      in.fail(json_path(path, "gateway"), "\"" + s.gateway + "\" is not an address of the subnet's family");
  }
  const std::string start = in.string(r, "rangeStart", path), end = in.string(r, "rangeEnd", path);
  if (!start.empty() || !end.empty()) {
    const std::string cidr =
        range_as_cidr(start.empty() ? prefix->network().plus(1).str() : start, end.empty() ? "" : end);
    if (!cidr.empty() && !start.empty() && !end.empty()) {
      s.ip_range = cidr;
    } else {
      in.note(json_path(path, "rangeStart"),
              "not carried over: " + (start.empty() ? std::string("(subnet start)") : start) + " - " +
                  (end.empty() ? std::string("(subnet end)") : end) +
                  " is not one CIDR block, and topo's ip_range is one; addresses come "
                  "from the whole subnet");
    }
  }
  return s;
}

void read_ipam(const JsonInput& in, const Json& ipam, const std::string& path, OutNetwork& n) {
  const std::string type = in.string(ipam, "type", path);
  if (type.empty()) {
    in.note(path, "no IPAM: topo allocates addresses itself" +
                      std::string(n.driver.empty() ? " (the subnet comes from its pools)" : ""));
    return;
  }
  if (type != "host-local") {
    in.note(json_path(path, "type"), "not carried over: IPAM \"" + type + "\"; topo allocates addresses itself" +
                                         (n.driver.empty() ? " (the subnet comes from its pools)" : ""));
    return;
  }
  const Json& ranges = in.array(ipam, "ranges", path);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const std::string set_path = json_path(path, "ranges[" + std::to_string(i) + "]");
    if (!ranges[i].is_array() || ranges[i].empty()) in.fail(set_path, "expected a non-empty list of ranges");
    n.subnets.push_back(read_range(in, ranges[i][0], set_path + "[0]"));
    if (ranges[i].size() > 1)
      in.note(set_path, "not carried over: ranges after the first of a set; topo takes one subnet per range set");
  }
  if (ipam.contains("subnet")) {  // the legacy form: one range, written in ipam itself
    if (!ranges.empty()) in.fail(json_path(path, "subnet"), "both `ranges` and the legacy `subnet`");
    n.subnets.push_back(read_range(in, ipam, path));
  }
  for (const auto& [k, v] : ipam.items()) {
    const std::string key = json_path(path, k);
    if (k == "type" || k == "ranges" || k == "subnet" || k == "gateway" || k == "rangeStart" || k == "rangeEnd")
      continue;
    if (k == "routes") {
      bool only_default = v.is_array();
      for (const Json& r : v.is_array() ? v : Json::array())
        only_default = only_default && r.is_object() && r.value("dst", "") != "" &&
                       (r.value("dst", "") == "0.0.0.0/0" || r.value("dst", "") == "::/0") && !r.contains("gw");
      if (!only_default)
        in.note(key, "not carried over: routes other than the default one; write them per container in `routes`");
    } else {
      in.note(key, "not carried over: no topo equivalent");
    }
  }
  if (n.subnets.empty()) in.note(path, "no subnet: topo picks one from its pools when planning");
}

void read_main(const JsonInput& in, const Json& p, const std::string& path, const std::string& type, OutNetwork& n) {
  if (type != "bridge") n.driver = type;
  // CNI's bridge masquerades only with ipMasq: true, topo's by default, so it is always written.
  if (type == "bridge") n.masquerade = false;
  bool is_gateway = false;
  for (const auto& [k, v] : p.items()) {
    const std::string key = json_path(path, k);
    if (k == "type" || k == "name" || k == "cniVersion") continue;
    if (k == "ipam") {
      if (!v.is_object()) in.fail(key, "expected an object");
      continue;  // read below, once the driver is known
    }
    if (type == "bridge" && k == "bridge") {
      n.bridge = in.string(p, "bridge", path);
      if (!valid_ifname(n.bridge)) in.fail(key, "\"" + n.bridge + "\" is not an interface name (1-15 bytes)");
    } else if (k == "mtu") {
      if (!v.is_number_integer() || v.get<long>() < 68 || v.get<long>() > 65535)
        in.fail(key, "expected an MTU from 68 to 65535");
      n.mtu = v.get<int>();
    } else if (type == "bridge" && k == "ipMasq") {
      n.masquerade = in.boolean(p, "ipMasq", path);
    } else if (type == "bridge" && k == "isGateway") {
      is_gateway = in.boolean(p, "isGateway", path);
    } else if (type == "bridge" && k == "isDefaultGateway") {
      if (!in.boolean(p, "isDefaultGateway", path))
        in.note(key,
                "containers get their default route via the gateway in topo (the network's `default_route` "
                "unless it is internal)");
    } else if (type != "bridge" && k == "master") {
      n.parent = in.string(p, "master", path);
      if (!valid_ifname(n.parent) && n.parent.find('.') == std::string::npos)
        in.fail(key, "\"" + n.parent + "\" is not an interface name");
    } else if (type != "bridge" && k == "mode") {
      n.mode = in.string(p, "mode", path);
    } else {
      in.note(key, "not carried over: no topo equivalent of this " + type + " option");
    }
  }
  if (type == "bridge" && !is_gateway)
    in.note(json_path(path, "isGateway"), "topo always puts the gateway address on the bridge (CNI's isGateway: true)");
  if (type != "bridge" && n.parent.empty())
    in.fail(json_path(path, "master"), type +
                                           " needs `master` (topo's `parent`): CNI's default, the interface of the "
                                           "default route, is this host's choice, not the manifest's");
  read_ipam(in, in.object(p, "ipam", path), json_path(path, "ipam"), n);
  if (type != "bridge" && n.subnets.empty())
    in.fail(json_path(path, "ipam"), type + " needs a host-local subnet: it is the parent's LAN");
}

}  // namespace

ImportResult import_cni(const std::string& file, const std::string& text, const std::string& stack) {
  ImportResult result;
  JsonInput in(file, result.notes);
  const Json conf = in.parse(text);
  if (!conf.is_object()) in.fail("", "a CNI configuration is a JSON object");
  OutNetwork n;
  n.name = in.string(conf, "name", "");
  if (n.name.empty()) in.fail("name", "a CNI configuration needs `name`");
  if (!valid_object_name(n.name)) in.fail("name", "\"" + n.name + "\" is not a topo name (" + kNameRule + ")");

  std::vector<std::pair<std::string, const Json*>> plugins;  // path, plugin
  if (conf.contains("plugins")) {
    const Json& list = in.array(conf, "plugins", "");
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_object()) in.fail("plugins[" + std::to_string(i) + "]", "expected an object");
      plugins.emplace_back("plugins[" + std::to_string(i) + "]", &list[i]);
    }
  } else if (conf.contains("type")) {
    plugins.emplace_back("", &conf);
  } else {
    in.fail("", "neither `plugins` (a .conflist) nor `type` (a .conf)");
  }
  bool found = false;
  for (const auto& [path, p] : plugins) {
    const std::string type = in.string(*p, "type", path);
    if (type.empty()) in.fail(json_path(path, "type"), "a plugin without `type`");
    if (!main_plugin(type)) {
      in.note(json_path(path, "type"), chained_note(type));
      continue;
    }
    if (found)
      in.fail(json_path(path, "type"), "a second main plugin (" + type + "); a configuration makes one network");
    found = true;
    read_main(in, *p, path, type, n);
  }
  if (!found) in.fail("plugins", "no bridge, macvlan or ipvlan plugin: nothing topo can make");

  OutManifest m;
  m.stack = stack;
  m.networks.push_back(std::move(n));
  give_bridges_distinct_names(m);
  result.stack = stack;
  result.file_name = m.networks.front().name + ".yaml";
  result.manifest = write_manifest(m, "topo import cni " + file + "\n" +
                                          "A CNI configuration describes a network only: attach containers to it "
                                          "under `attachments`.\nNotes on what is not carried over go to stderr.");
  return result;
}

}  // namespace topo::importers
