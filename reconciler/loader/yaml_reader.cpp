#include "reconciler/loader/yaml_reader.hpp"

#include <map>
#include <string_view>

#include "providers/provider.hpp"
#include "reconciler/loader/value_parsers.hpp"
#include "reconciler/loader/yaml_json.hpp"
#include "reconciler/loader/yaml_path.hpp"

namespace topo::loader {
namespace {

// Reads the keys of one mapping, recording where each value sits.
class Fields {
 public:
  Fields(const YamlDocument& doc, const YamlNode& map, Where& where, std::string what, Diagnostics& diag)
      : doc_(doc), map_(map), where_(where), what_(std::move(what)), diag_(diag) {
    where_.object = location_of(doc.file, map);
    for (const auto& [k, v] : map_.entries()) {
      where_.values[k.scalar()] = location_of(doc.file, v);
      if (k.is_scalar()) by_key_.emplace(k.scalar(), v);
    }
  }

  bool has(const char* key) const {
    auto it = by_key_.find(key);
    return it != by_key_.end() && it->second.defined() && !it->second.is_null();
  }
  YamlNode node(const char* key) const { return at(key); }
  std::string str(const char* key) const { return has(key) ? at(key).scalar() : std::string(); }
  long long integer(const char* key) const { return std::stoll(at(key).scalar()); }
  bool boolean(const char* key) const {
    const std::string& s = at(key).scalar();
    return !s.empty() && (s[0] == 't' || s[0] == 'T');
  }
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const YamlNode list = at(key);
    for (std::size_t i = 0; i < list.size(); ++i) {
      where_.values[std::string(key) + "." + std::to_string(i)] = location_of(doc_.file, list[i]);
      out.push_back(list[i].scalar());
    }
    return out;
  }

  std::optional<IpAddress> ip(const char* key, const std::string& label) {
    if (!has(key)) return std::nullopt;
    return ip_value(str(key), where_.at(key), label);
  }
  std::optional<IpAddress> ip_value(const std::string& text, const SourceLocation& at, const std::string& label) {
    auto a = IpAddress::parse(text);
    if (!a) error(at, label + " \"" + text + "\" is not an IP address");
    return a;
  }
  std::optional<IpPrefix> prefix(const char* key, const std::string& label) {
    if (!has(key)) return std::nullopt;
    return prefix_value(str(key), where_.at(key), label);
  }
  std::optional<IpPrefix> prefix_value(const std::string& text, const SourceLocation& at,
                                       const std::string& label) {
    auto p = IpPrefix::parse(text);
    if (!p) error(at, label + " \"" + text + "\" is not a CIDR prefix such as 10.0.0.0/24 or fd00::/64");
    return p;
  }

  void error(const SourceLocation& at, const std::string& message) { diag_.error(at, what_ + ": " + message); }
  const std::string& what() const { return what_; }
  Where& where() { return where_; }
  const YamlDocument& doc() const { return doc_; }

 private:
  // The value of a key; undefined when missing.
  YamlNode at(const char* key) const {
    auto it = by_key_.find(std::string_view(key));
    return it != by_key_.end() ? it->second : YamlNode();
  }

  const YamlDocument& doc_;
  const YamlNode map_;
  // The mapping's values by key, made once: a mapping finds a key by a
  // linear scan, and the reader asks for each known key of every object
  // (most of them absent). The keys' text lives in the tree.
  std::map<std::string_view, YamlNode, std::less<>> by_key_;
  Where& where_;
  std::string what_;
  Diagnostics& diag_;
};

std::string label(const char* kind, const YamlNode& map, std::size_t index) {
  const YamlNode name = map["name"];
  if (name.is_scalar()) return std::string(kind) + " \"" + name.scalar() + "\"";
  return std::string(kind) + " #" + std::to_string(index + 1);
}

// A network's mapping as its driver reads it (providers/driver_keys.hpp).
class DriverKeys : public KeyReader {
 public:
  explicit DriverKeys(const Fields& f) : f_(f) {}
  bool has(const char* key) const override { return f_.has(key); }
  std::string str(const char* key) const override { return f_.str(key); }
  long long integer(const char* key) const override { return f_.integer(key); }
  bool boolean(const char* key) const override { return f_.boolean(key); }

 private:
  const Fields& f_;
};

void read_subnet(Fields& f, const char* subnet_key, const char* gateway_key, const char* range_key,
                 const SourceLocation& where, const std::string& prefix_label, std::vector<SubnetSpec>& out) {
  SubnetSpec spec;
  spec.where = where;
  auto subnet = f.prefix(subnet_key, prefix_label + "subnet");
  spec.gateway = f.ip(gateway_key, prefix_label + "gateway");
  spec.ip_range = f.prefix(range_key, prefix_label + "ip_range");
  if (!subnet) return;
  spec.subnet = *subnet;
  out.push_back(spec);
}

// Keys other drivers take, written on this network (raw_model.hpp).
void read_foreign_keys(const Fields& f, RawNetwork& raw) {
  for (const ForeignKey& fk : foreign_keys(raw.net.driver)) {
    if (!f.has(fk.key.c_str())) continue;
    const Provider* first = fk.drivers.front();
    raw.foreign.push_back({fk.key, first, first->read_settings(raw.net, DriverKeys(f))});
  }
}

void read_network(const YamlDocument& doc, const YamlNode& map, std::size_t index, RawModel& model,
                  Diagnostics& diag) {
  RawNetwork raw;
  Fields f(doc, map, raw.where, label("network", map, index), diag);
  Network& n = raw.net;
  n.name = f.str("name");
  raw.driver_given = f.has("driver");
  // The schema allows only registered drivers' names.
  if (const Provider* named = raw.driver_given ? provider_named(f.str("driver")) : nullptr) n.driver = named->driver();
  const Provider& driver = *provider_for(n.driver);
  raw.shorthand = f.has("subnet") || f.has("gateway") || f.has("ip_range");
  if (f.has("subnet")) {
    read_subnet(f, "subnet", "gateway", "ip_range", f.where().object, "", n.subnets);
  } else {
    // gateway/ip_range without subnet: still parse them so their syntax is checked;
    // the semantic checks say what is missing.
    f.ip("gateway", "gateway");
    f.prefix("ip_range", "ip_range");
  }
  if (f.has("subnets")) {
    const YamlNode list = f.node("subnets");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string key = "subnets." + std::to_string(i);
      f.where().values[key] = location_of(doc.file, list[i]);
      Where sub_where;
      Fields sf(doc, list[i], sub_where, f.what(), diag);
      for (const auto& [k, loc] : sub_where.values) f.where().values[key + "." + k] = loc;
      read_subnet(sf, "subnet", "gateway", "ip_range", sub_where.object, "subnets[" + std::to_string(i) + "].",
                  n.subnets);
    }
  }
  n.mtu = f.has("mtu") ? static_cast<int>(f.integer("mtu")) : driver.default_mtu();
  if (f.has("internal")) n.internal = f.boolean("internal");
  // The driver's own keys, defaults filled (some follow the shared keys, so last).
  n.settings = driver.read_settings(n, DriverKeys(f));
  // Nothing written: the pools give one at plan time, when the kernel and the
  // other stacks are known (ipam/pool_subnets.hpp).
  n.subnet_from_pools = !f.has("subnet") && !f.has("subnets") && n.driver_settings().takes_pool_subnet();
  n.where = raw.where.object;
  read_foreign_keys(f, raw);
  model.networks.push_back(std::move(raw));
}

NetworkMode mode_from(const std::string& s, std::string& target) {
  if (s == "host") return NetworkMode::Host;
  if (s == "none") return NetworkMode::None;
  if (s.rfind("container:", 0) == 0) {
    target = s.substr(std::string_view("container:").size());
    return NetworkMode::Container;
  }
  return NetworkMode::Default;
}

void read_ports(Fields& f, Container& c) {
  if (!f.has("ports")) return;
  const YamlNode list = f.node("ports");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlNode item = list[i];
    const SourceLocation at = location_of(f.doc().file, item);
    f.where().values["ports." + std::to_string(i)] = at;
    if (item.is_scalar()) {
      Parsed<PortMapping> p = parse_port_spec(item.scalar());
      if (!p.value) {
        f.error(at, "port \"" + item.scalar() + "\": " + p.error);
        continue;
      }
      p.value->where = at;
      c.ports.push_back(*p.value);
      continue;
    }
    PortMapping pm;
    pm.where = at;
    // Left out: chosen by topo from the ephemeral range (PortMapping::host_port 0).
    if (item["host_port"].defined()) pm.host_port = std::stoi(item["host_port"].scalar());
    pm.container_port = std::stoi(item["container_port"].scalar());
    if (item["protocol"].defined()) pm.protocol = item["protocol"].scalar();
    if (item["host_ip"].defined()) {
      pm.host_ip = item["host_ip"].scalar();
      if (!IpAddress::parse(pm.host_ip)) {
        f.error(location_of(f.doc().file, item["host_ip"]), "host_ip \"" + pm.host_ip + "\" is not an IP address");
        continue;
      }
    }
    c.ports.push_back(pm);
  }
}

void read_container(const YamlDocument& doc, const YamlNode& map, std::size_t index, RawModel& model,
                    Diagnostics& diag) {
  RawContainer raw;
  Fields f(doc, map, raw.where, label("container", map, index), diag);
  Container& c = raw.c;
  c.name = f.str("name");
  raw.network_mode_text = f.has("network_mode") ? f.str("network_mode") : "default";
  c.network_mode = mode_from(raw.network_mode_text, c.mode_target);
  c.netns = f.str("netns");
  c.node = f.str("node");
  c.hostname = f.str("hostname");
  c.dns = f.strings("dns");
  for (std::size_t i = 0; i < c.dns.size(); ++i)
    f.ip_value(c.dns[i], raw.where.at("dns." + std::to_string(i)), "dns server");
  c.dns_search = f.strings("dns_search");
  read_ports(f, c);
  raw.extra_hosts_written = f.strings("extra_hosts");
  for (std::size_t i = 0; i < raw.extra_hosts_written.size(); ++i) {
    const std::string& text = raw.extra_hosts_written[i];
    Parsed<ExtraHost> p = parse_extra_host(text);
    if (!p.value) f.error(raw.where.at("extra_hosts." + std::to_string(i)), "extra_hosts \"" + text + "\": " + p.error);
  }
  raw.links_written = f.strings("links");
  if (f.has("sysctls")) {
    for (const auto& [k, v] : f.node("sysctls").entries()) {
      raw.where.values["sysctls." + k.scalar()] = location_of(doc.file, k);
      c.sysctls[k.scalar()] = v.scalar();
    }
  }
  if (f.has("routes")) {
    const YamlNode list = f.node("routes");
    for (std::size_t i = 0; i < list.size(); ++i) {
      Where rw;
      Fields rf(doc, list[i], rw, f.what(), diag);
      auto dst = rf.prefix("dst", "route dst");
      auto via = rf.ip("via", "route via");
      raw.where.values["routes." + std::to_string(i)] = rw.object;
      raw.where.values["routes." + std::to_string(i) + ".dst"] = rw.at("dst");
      raw.where.values["routes." + std::to_string(i) + ".via"] = rw.at("via");
      if (dst && via) c.routes.push_back(StaticRoute{*dst, *via, rw.object});
    }
  }
  c.where = raw.where.object;
  model.containers.push_back(std::move(raw));
}

void read_attachment(const YamlDocument& doc, const YamlNode& map, std::size_t index, RawModel& model,
                     Diagnostics& diag) {
  RawAttachment raw;
  std::string what = "attachment #" + std::to_string(index + 1);
  if (map["container"].is_scalar() && map["network"].is_scalar())
    what = "attachment " + map["container"].scalar() + " -> " + map["network"].scalar();
  Fields f(doc, map, raw.where, what, diag);
  Attachment& a = raw.a;
  a.container = f.str("container");
  a.network = f.str("network");
  raw.interface_given = f.has("interface");
  a.interface = f.str("interface");
  a.ipv4 = f.ip("ipv4", "ipv4");
  a.ipv6 = f.ip("ipv6", "ipv6");
  a.mac = f.str("mac");
  a.aliases = f.strings("aliases");
  raw.default_route_given = f.has("default_route");
  if (raw.default_route_given) a.default_route = f.boolean("default_route");
  a.where = raw.where.object;
  model.attachments.push_back(std::move(raw));
}

void read_check(const YamlDocument& doc, const YamlNode& map, std::size_t index, RawModel& model, Diagnostics& diag) {
  RawCheck raw;
  std::string what = "check #" + std::to_string(index + 1);
  if (map["from"].is_scalar() && (map["to"].is_scalar() || map["resolve"].is_scalar()))
    what = "check " + map["from"].scalar() + " -> " +
           (map["to"].is_scalar() ? map["to"].scalar() : "resolve " + map["resolve"].scalar());
  Fields f(doc, map, raw.where, what, diag);
  Check& c = raw.c;
  c.from = f.str("from");
  c.to = f.str("to");
  c.resolve = f.str("resolve");
  if (f.has("port")) c.port = static_cast<int>(f.integer("port"));
  raw.protocol_text = f.str("protocol");
  raw.expect_text = f.str("expect");
  c.expect_reachable = raw.expect_text != "unreachable";
  // The schema let through a number in (0, 60].
  if (f.has("timeout")) c.timeout_ms = static_cast<int>(std::stod(f.str("timeout")) * 1000 + 0.5);
  c.where = raw.where.object;
  model.checks.push_back(std::move(raw));
}

void read_host(const YamlDocument& doc, const YamlNode& map, std::size_t index, RawModel& model,
               Diagnostics& diag) {
  RawHost raw;
  Fields f(doc, map, raw.where, label("host", map, index), diag);
  raw.h.name = f.str("name");
  if (auto a = f.ip("address", "address")) raw.h.address = *a;
  raw.h.where = raw.where.object;
  model.hosts.push_back(std::move(raw));
}

template <typename ReadOne>
void read_list(const YamlDocument& doc, const char* key, RawModel& model, Diagnostics& diag, ReadOne read_one) {
  const YamlNode list = doc.root[key];
  if (!list.is_sequence()) return;
  for (std::size_t i = 0; i < list.size(); ++i) read_one(doc, list[i], i, model, diag);
}

}  // namespace

void read_document(const YamlDocument& doc, RawModel& model, Diagnostics& diag, const std::string& default_stack) {
  if (!doc.root.is_map()) return;
  const std::size_t networks = model.networks.size(), containers = model.containers.size(),
                    attachments = model.attachments.size(), checks = model.checks.size();
  read_list(doc, "hosts", model, diag, read_host);
  read_list(doc, "networks", model, diag, read_network);
  read_list(doc, "containers", model, diag, read_container);
  read_list(doc, "attachments", model, diag, read_attachment);
  read_list(doc, "checks", model, diag, read_check);
  // Hosts are machines, shared by every stack; everything else is the document's.
  const YamlNode stack_node = doc.root["stack"];
  const std::string stack = stack_node.is_scalar() ? stack_node.scalar() : default_stack;
  // A document that names no stack and declares nothing (`version: 1`
  // alone, an emptied file) must not put the default stack in scope: that
  // would plan the removal of everything in it.
  const bool declares = model.networks.size() > networks || model.containers.size() > containers ||
                        model.attachments.size() > attachments;
  if (stack_node.defined() || declares) model.stacks.insert(stack);
  for (std::size_t i = networks; i < model.networks.size(); ++i) model.networks[i].net.stack = stack;
  for (std::size_t i = containers; i < model.containers.size(); ++i) model.containers[i].c.stack = stack;
  for (std::size_t i = attachments; i < model.attachments.size(); ++i) model.attachments[i].a.stack = stack;
  for (std::size_t i = checks; i < model.checks.size(); ++i) model.checks[i].c.stack = stack;
}

}  // namespace topo::loader
