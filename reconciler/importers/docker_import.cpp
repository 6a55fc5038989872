#include "reconciler/importers/docker_import.hpp"

#include <algorithm>
#include <map>

#include "reconciler/importers/docker_options.hpp"
#include "reconciler/importers/json_input.hpp"
#include "reconciler/importers/manifest_checks.hpp"
#include "reconciler/importers/manifest_writer.hpp"
#include "reconciler/importers/names.hpp"
#include "reconciler/loader/value_parsers.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::importers {
namespace {

// What Docker's inspect says of one container's place on one network.
struct Endpoint {
  std::string network;         // manifest network name
  std::string docker_network;  // as Docker names it
  std::string ipv4, ipv6, mac;
  std::vector<std::string> aliases;
};

struct Container {
  OutContainer c;
  std::string id;
  std::string file;                           // the input that described it last: where its notes point
  std::map<std::string, Endpoint> endpoints;  // by manifest network name: sorted, as Docker prints them
};

struct Builder {
  OutManifest m;
  std::vector<std::string> container_order;
  std::map<std::string, Container> containers;  // by name
  std::map<std::string, std::string> name_of_id;
  std::map<std::string, std::string> network_names;     // docker name -> manifest name
  std::map<std::string, std::string> skipped_networks;  // docker name -> why its members are not attached
  std::vector<std::string> host_mode, none_mode;        // containers seen in Docker's host / none networks

  Container& container(const std::string& name) {
    auto [it, made] = containers.try_emplace(name);
    if (made) {
      it->second.c.name = name;
      container_order.push_back(name);
    }
    return it->second;
  }
};

std::string strip_prefix_length(const std::string& cidr) { return cidr.substr(0, cidr.find('/')); }

// Docker's predefined networks keep names the contract gives other meanings.
std::string manifest_network_name(const std::string& docker_name, const std::string& bridge_option) {
  if (docker_name == "bridge") return bridge_option.empty() ? kDockerDefaultBridgeNetwork : bridge_option;
  return docker_name;
}

void check_container_name(const JsonInput& in, const std::string& key, const std::string& name) {
  if (!valid_object_name(name)) in.fail(key, "container name \"" + name + "\" is not a topo name (" + kNameRule + ")");
}

void check_address(const JsonInput& in, const std::string& key, const std::string& text, int family) {
  if (text.empty()) return;
  auto ip = IpAddress::parse(text);
  if (!ip || ip->family != family) in.fail(key, "\"" + text + "\" is not an IPv" + std::to_string(family) + " address");
}

void read_network(const JsonInput& in, const Json& j, const std::string& path, Builder& b) {
  const std::string docker_name = in.string(j, "Name", path);
  if (docker_name.empty()) in.fail(json_path(path, "Name"), "a network without a name");
  const std::string driver = in.string(j, "Driver", path);
  const std::string key = path + " (" + docker_name + ")";
  const Json& members = in.object(j, "Containers", path);

  if (docker_name == "host" || docker_name == "none" || driver == "host" || driver == "null") {
    // Not networks in topo: a container's network_mode.
    const bool host = docker_name == "host" || driver == "host";
    for (const auto& [id, member] : members.items()) {
      const std::string name = in.string(member, "Name", json_path(path, "Containers." + id));
      check_container_name(in, json_path(path, "Containers." + id + ".Name"), name);
      Container& c = b.container(name);
      c.c.network_mode = host ? "host" : "none";
      c.id = id;
      if (c.file.empty()) c.file = in.file();
      b.name_of_id[id] = name;
    }
    return;
  }
  if (in.boolean(j, "Ingress", path) || in.boolean(j, "ConfigOnly", path) || driver == "overlay" ||
      (driver != "bridge" && driver != "macvlan" && driver != "ipvlan")) {
    const std::string why = driver == "overlay" ? "a swarm overlay (topo's overlay needs `vni` and `hosts`)"
                            : in.boolean(j, "Ingress", path)    ? "swarm's ingress network"
                            : in.boolean(j, "ConfigOnly", path) ? "a config-only network"
                                                                : "driver \"" + driver + "\" has no topo equivalent";
    in.note(key, "not carried over: " + why + "; its containers are not attached to it");
    b.skipped_networks[docker_name] = why;
    return;
  }

  OutNetwork n;
  std::string bridge_option;
  const Json& options = in.object(j, "Options", path);
  for (const auto& [k, v] : options.items()) {
    const std::string okey = json_path(path, "Options." + k);
    if (!v.is_string()) in.fail(okey, "expected a string, got " + v.dump());
    std::string error;
    switch (apply_docker_option(k, v.get<std::string>(), n, error)) {
      case OptionUse::Carried:
      case OptionUse::Ignored:
        break;
      case OptionUse::Unknown:
        in.note(okey, kOptionNotCarried);
        break;
      case OptionUse::Invalid:
        in.fail(okey, error);
    }
  }
  bridge_option = n.bridge;
  n.name = manifest_network_name(docker_name, bridge_option);
  if (!valid_object_name(n.name))
    in.fail(json_path(path, "Name"), "\"" + n.name + "\" is not a topo name (" + kNameRule + ")");
  if (docker_name == "bridge") {
    if (n.bridge.empty()) n.bridge = "docker0";
    in.note(key, "Docker's default bridge is imported as network \"" + n.name + "\" on bridge " + n.bridge +
                     ": containers there did not resolve each other's names (only legacy links), on a topo network "
                     "they do; stop Docker (or remove its bridge) before applying, the bridge name is Docker's");
  }
  if (driver != "bridge") {
    n.driver = driver;
    if (n.parent.empty()) in.fail(json_path(path, "Options.parent"), driver + " needs its parent interface");
  } else if (drop_sub_interface_options(n)) {
    in.note(json_path(path, "Options"), kSubInterfaceOptionsNotCarried);
  }

  const Json& ipam = in.object(j, "IPAM", path);
  const std::string ipam_path = json_path(path, "IPAM");
  if (const std::string d = in.string(ipam, "Driver", ipam_path); !d.empty() && d != "default")
    in.note(json_path(ipam_path, "Driver"), "not carried over: topo allocates addresses itself");
  const Json& configs = in.array(ipam, "Config", ipam_path);
  bool v6 = false;
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const std::string cpath = json_path(ipam_path, "Config[" + std::to_string(i) + "]");
    OutSubnet s{in.string(configs[i], "Subnet", cpath), in.string(configs[i], "Gateway", cpath),
                in.string(configs[i], "IPRange", cpath)};
    if (s.subnet.empty()) in.fail(cpath, "an IPAM config without Subnet");
    auto prefix = IpPrefix::parse(s.subnet);
    if (!prefix) in.fail(json_path(cpath, "Subnet"), "\"" + s.subnet + "\" is not a CIDR");
    v6 = v6 || !prefix->addr.is_v4();
    if (!s.ip_range.empty() && !IpPrefix::parse(s.ip_range))
      in.fail(json_path(cpath, "IPRange"), "\"" + s.ip_range + "\" is not a CIDR");
    check_address(in, json_path(cpath, "Gateway"), s.gateway, prefix->addr.family);
    if (!in.object(configs[i], "AuxiliaryAddresses", cpath).empty())
      in.note(json_path(cpath, "AuxiliaryAddresses"), "not carried over: topo has no reserved addresses");
    n.subnets.push_back(s);
  }
  if (n.subnets.empty()) in.note(ipam_path, "no subnet: topo picks one from its pools when planning");
  if (in.boolean(j, "EnableIPv6", path) && !v6)
    in.note(json_path(path, "EnableIPv6"), "not carried over: no IPv6 subnet in IPAM.Config");
  if (in.boolean(j, "Internal", path)) n.internal = true;
  if (!in.object(j, "Labels", path).empty()) in.note(json_path(path, "Labels"), "not carried over: labels");

  for (const auto& [id, member] : members.items()) {
    const std::string mpath = json_path(path, "Containers." + id);
    const std::string name = in.string(member, "Name", mpath);
    check_container_name(in, json_path(mpath, "Name"), name);
    Container& c = b.container(name);
    if (c.file.empty()) c.file = in.file();
    c.id = id;
    b.name_of_id[id] = name;
    Endpoint& e = c.endpoints[n.name];
    e.network = n.name;
    e.docker_network = docker_name;
    e.ipv4 = strip_prefix_length(in.string(member, "IPv4Address", mpath));
    e.ipv6 = strip_prefix_length(in.string(member, "IPv6Address", mpath));
    e.mac = in.string(member, "MacAddress", mpath);
    if (!e.mac.empty() && !valid_mac(e.mac))
      in.fail(json_path(mpath, "MacAddress"), "\"" + e.mac + "\" is not a MAC address");
    check_address(in, json_path(mpath, "IPv4Address"), e.ipv4, 4);
    check_address(in, json_path(mpath, "IPv6Address"), e.ipv6, 6);
  }
  b.network_names[docker_name] = n.name;
  b.m.networks.push_back(std::move(n));
}

std::string link_of(const JsonInput& in, const std::string& key, const std::string& text) {
  // Docker writes a link as "/target:/this/alias".
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || text.empty() || text.front() != '/')
    in.fail(key, "\"" + text + "\" is not a link as Docker writes it (/target:/container/alias)");
  const std::string target = text.substr(1, colon - 1);
  const std::string alias = text.substr(text.rfind('/') + 1);
  return alias == target ? target : target + ":" + alias;
}

void read_ports(const JsonInput& in, const Json& host_config, const Json& settings, const std::string& path,
                OutContainer& c) {
  const Json& bindings = in.object(host_config, "PortBindings", json_path(path, "HostConfig"));
  const Json& actual = in.object(settings, "Ports", json_path(path, "NetworkSettings"));
  for (const auto& [spec, list] : bindings.items()) {
    const std::string key = json_path(path, "HostConfig.PortBindings." + spec);
    const std::size_t slash = spec.find('/');
    const std::string proto = slash == std::string::npos ? "tcp" : spec.substr(slash + 1);
    const std::optional<int> container_port = loader::parse_port_number(spec.substr(0, slash));
    if (!container_port || (proto != "tcp" && proto != "udp" && proto != "sctp"))
      in.fail(key, "\"" + spec + "\" is not PORT/PROTOCOL");
    if (!list.is_array()) continue;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string bkey = key + "[" + std::to_string(i) + "]";
      std::string host_ip = in.string(list[i], "HostIp", bkey);
      std::string host_port = in.string(list[i], "HostPort", bkey);
      if (host_port.empty() && actual.contains(spec) && actual[spec].is_array() && !actual[spec].empty())
        host_port = in.string(actual[spec][0], "HostPort", json_path(path, "NetworkSettings.Ports." + spec));
      if (host_ip == "0.0.0.0" || host_ip == "::") host_ip.clear();
      std::optional<int> hp;
      if (!host_port.empty()) {
        hp = loader::parse_port_number(host_port);  // decimal only: "443abc" is no port
        if (!hp) in.fail(bkey, "HostPort \"" + host_port + "\" is not a port");
      }
      const std::string s = port_string(host_ip, hp, *container_port, proto);
      if (std::find(c.ports.begin(), c.ports.end(), s) == c.ports.end()) c.ports.push_back(s);
    }
  }
  if (in.boolean(host_config, "PublishAllPorts", json_path(path, "HostConfig")))
    in.note(json_path(path, "HostConfig.PublishAllPorts"), "not carried over: write the exposed ports in `ports`");
}

void read_container(const JsonInput& in, const Json& j, const std::string& path, Builder& b) {
  std::string name = in.string(j, "Name", path);
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  check_container_name(in, json_path(path, "Name"), name);
  Container& ct = b.container(name);
  ct.file = in.file();
  ct.id = in.string(j, "Id", path);
  if (!ct.id.empty()) b.name_of_id[ct.id] = name;
  OutContainer& c = ct.c;
  const std::string hpath = json_path(path, "HostConfig");
  const Json& host_config = in.object(j, "HostConfig", path);
  const Json& settings = in.object(j, "NetworkSettings", path);
  const Json& config = in.object(j, "Config", path);

  const std::string mode = in.string(host_config, "NetworkMode", hpath);
  if (mode == "host" || mode == "none")
    c.network_mode = mode;
  else if (mode.rfind("container:", 0) == 0)
    c.network_mode = mode;  // resolved once every id is known

  const std::string hostname = in.string(config, "Hostname", json_path(path, "Config"));
  if (!hostname.empty() && ct.id.rfind(hostname, 0) != 0 && c.network_mode != "host") c.hostname = hostname;
  if (!c.hostname.empty() && !valid_domain(c.hostname))
    in.fail(json_path(path, "Config.Hostname"), "\"" + c.hostname + "\" is not a host name");
  if (!in.string(config, "Domainname", json_path(path, "Config")).empty())
    in.note(json_path(path, "Config.Domainname"), "not carried over: topo writes the hostname only");
  c.dns = in.strings(host_config, "Dns", hpath);
  for (std::size_t i = 0; i < c.dns.size(); ++i)
    check_address(in, json_path(hpath, "Dns[" + std::to_string(i) + "]"), c.dns[i],
                  c.dns[i].find(':') == std::string::npos ? 4 : 6);
  c.dns_search = in.strings(host_config, "DnsSearch", hpath);
  for (const std::string& d : c.dns_search)
    if (!valid_domain(d)) in.fail(json_path(hpath, "DnsSearch"), "\"" + d + "\" is not a domain name");
  if (!in.array(host_config, "DnsOptions", hpath).empty())
    in.note(json_path(hpath, "DnsOptions"), "not carried over: topo writes nameserver and search lines only");
  for (const std::string& h : in.strings(host_config, "ExtraHosts", hpath)) {
    const std::size_t sep = h.find_first_of(":=");
    if (sep == std::string::npos) in.fail(json_path(hpath, "ExtraHosts"), "\"" + h + "\" is not name:ip");
    const std::string ip = h.substr(sep + 1);
    if (ip == "host-gateway") {
      in.note(json_path(hpath, "ExtraHosts"), "not carried over: \"" + h + "\" (Docker's special value)");
      continue;
    }
    check_address(in, json_path(hpath, "ExtraHosts"), ip, ip.find(':') == std::string::npos ? 4 : 6);
    c.extra_hosts.push_back(h.substr(0, sep) + ":" + ip);
  }
  c.links.clear();
  for (const std::string& l : in.strings(host_config, "Links", hpath))
    c.links.push_back(link_of(in, json_path(hpath, "Links"), l));
  for (const auto& [k, v] : in.object(host_config, "Sysctls", hpath).items()) {
    if (k.rfind("net.", 0) != 0 || !v.is_string()) {
      in.note(json_path(hpath, "Sysctls." + k), "not carried over: only net.* sysctls belong to a network namespace");
      continue;
    }
    c.sysctls.emplace_back(k, OutValue{v.get<std::string>(), true});
  }
  if (c.network_mode.empty()) read_ports(in, host_config, settings, path, c);

  const Json& networks = in.object(settings, "Networks", json_path(path, "NetworkSettings"));
  for (const auto& [docker_net, ep] : networks.items()) {
    const std::string npath = json_path(path, "NetworkSettings.Networks." + docker_net);
    if (docker_net == "host" || docker_net == "none") continue;
    if (b.skipped_networks.count(docker_net)) continue;  // noted with the network
    auto known = b.network_names.find(docker_net);
    const std::string net = known != b.network_names.end() ? known->second : manifest_network_name(docker_net, "");
    Endpoint& e = ct.endpoints[net];
    e.network = net;
    e.docker_network = docker_net;
    const Json& ipam_config = in.object(ep, "IPAMConfig", npath);
    std::string v4 = in.string(ep, "IPAddress", npath), v6 = in.string(ep, "GlobalIPv6Address", npath);
    if (v4.empty()) v4 = in.string(ipam_config, "IPv4Address", json_path(npath, "IPAMConfig"));
    if (v6.empty()) v6 = in.string(ipam_config, "IPv6Address", json_path(npath, "IPAMConfig"));
    check_address(in, json_path(npath, "IPAddress"), v4, 4);
    check_address(in, json_path(npath, "GlobalIPv6Address"), v6, 6);
    if (!v4.empty()) e.ipv4 = v4;
    if (!v6.empty()) e.ipv6 = v6;
    if (std::string mac = in.string(ep, "MacAddress", npath); !mac.empty()) {
      if (!valid_mac(mac)) in.fail(json_path(npath, "MacAddress"), "\"" + mac + "\" is not a MAC address");
      e.mac = mac;
    }
    e.aliases.clear();
    for (const std::string& a : in.strings(ep, "Aliases", npath)) {
      // Docker adds the container's name and short id itself; topo resolves the name anyway.
      if (a == name || (!ct.id.empty() && ct.id.rfind(a, 0) == 0)) continue;
      if (!valid_object_name(a)) in.fail(json_path(npath, "Aliases"), "alias \"" + a + "\" is not a topo name");
      e.aliases.push_back(a);
    }
    if (!in.array(ep, "Links", npath).empty())
      in.note(json_path(npath, "Links"), "not carried over: per-network links; HostConfig.Links are carried");
  }
}

bool is_network(const Json& j) {
  return j.contains("IPAM") || (j.contains("Driver") && j.contains("Containers") && !j.contains("HostConfig"));
}
bool is_container(const Json& j) { return j.contains("HostConfig") || j.contains("NetworkSettings"); }

void finish(Builder& b, std::vector<ImportNote>& notes) {
  for (const std::string& name : b.container_order) {
    Container& ct = b.containers.at(name);
    OutContainer& c = ct.c;
    if (c.network_mode.rfind("container:", 0) == 0) {
      const std::string id = c.network_mode.substr(10);
      auto t = b.name_of_id.find(id);
      if (t == b.name_of_id.end())
        for (const auto& [full, n] : b.name_of_id)
          if (full.rfind(id, 0) == 0) t = b.name_of_id.find(full);
      if (t == b.name_of_id.end()) {
        notes.push_back({{ct.file, 0, 0},
                         "container " + name + ": HostConfig.NetworkMode",
                         "not carried over: joins container " + id + ", which no input describes; network_mode none"});
        c.network_mode = "none";
      } else {
        c.network_mode = "container:" + t->second;
      }
    }
    if (!c.network_mode.empty()) {
      ct.endpoints.clear();
      c.ports.clear();
    }
    std::size_t i = 0;
    for (auto& [net, e] : ct.endpoints) {
      if (!b.m.network(net))
        throw ImportError({ct.file, 0, 0}, "container " + name,
                          "is on network \"" + e.docker_network +
                              "\", which no `docker network inspect` input "
                              "describes; add that output (docker network inspect " +
                              e.docker_network + ")");
      OutAttachment a{name,  net,      ct.endpoints.size() > 1 ? "eth" + std::to_string(i++) : "", e.ipv4, e.ipv6,
                      e.mac, e.aliases};
      b.m.attachments.push_back(std::move(a));
    }
    if (ct.endpoints.size() > 1)
      notes.push_back({{ct.file, 0, 0},
                       "container " + name,
                       "interfaces named eth0, eth1, ... in network name order; Docker numbers them in the order "
                       "the container was connected"});
    b.m.containers.push_back(c);
  }
  for (OutContainer* c : publishing_without_outside_network(b.m)) {
    notes.push_back({{b.containers.at(c->name).file, 0, 0},
                     "container " + c->name + ": HostConfig.PortBindings",
                     "not carried over: the container is on internal networks only, where published ports never "
                     "answer"});
    c->ports.clear();
  }
}

}  // namespace

ImportResult import_docker(const std::vector<SourceText>& inputs, const std::string& stack) {
  ImportResult result;
  Builder b;
  b.m.stack = stack;
  // Networks first, whatever the order of the files: containers refer to them.
  std::vector<std::pair<const SourceText*, Json>> parsed;
  for (const SourceText& s : inputs) {
    JsonInput in(s.file, result.notes);
    Json j = in.parse(s.text);
    if (j.is_object()) j = Json::array({j});
    if (!j.is_array()) in.fail("", "expected the JSON list `docker network inspect` or `docker inspect` prints");
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string path = "[" + std::to_string(i) + "]";
      if (!j[i].is_object()) in.fail(path, "expected an object");
      if (!is_network(j[i]) && !is_container(j[i]))
        in.fail(path, "neither a network (IPAM, Driver) nor a container (HostConfig, NetworkSettings)");
      if (is_network(j[i])) read_network(in, j[i], path, b);
    }
    parsed.emplace_back(&s, std::move(j));
  }
  for (const auto& [s, j] : parsed) {
    JsonInput in(s->file, result.notes);
    for (std::size_t i = 0; i < j.size(); ++i)
      if (!is_network(j[i])) read_container(in, j[i], "[" + std::to_string(i) + "]", b);
  }
  finish(b, result.notes);
  give_bridges_distinct_names(b.m);
  result.stack = stack;
  result.file_name = (stack.empty() ? "docker" : stack) + ".yaml";
  std::string header = "topo import docker";
  for (const SourceText& s : inputs) header += " " + s.file;
  result.manifest = write_manifest(b.m, header + "\nNotes on what is not carried over go to stderr.");
  return result;
}

}  // namespace topo::importers
