// Compose's `services` as containers and attachments. A service is one
// container named after the service (or its `container_name`): its name is
// what other services resolve it by, so resolution keeps working unchanged.
#include <map>
#include <set>

#include "reconciler/importers/compose_context.hpp"
#include "reconciler/importers/compose_ports.hpp"
#include "reconciler/importers/manifest_checks.hpp"
#include "reconciler/importers/names.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::importers {
namespace {

// Service keys of the Compose specification that describe the process, its
// files or its resources: no network wiring, so not topo's to carry.
const std::set<std::string>& process_keys() {
  // clang-format off
  static const std::set<std::string> keys = {
      "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent",
      "command", "configs", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
      "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "develop",
      "device_cgroup_rules", "devices", "driver_opts", "entrypoint", "env_file", "environment", "extends", "gpus",
      "group_add", "healthcheck", "image", "init", "ipc", "isolation", "label_file", "labels", "logging",
      "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "oom_kill_disable",
      "oom_score_adj", "pid", "pids_limit", "platform", "post_start", "pre_stop", "privileged", "profiles",
      "provider", "pull_policy", "read_only", "restart", "runtime", "secrets", "security_opt", "shm_size",
      "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "tmpfs", "tty", "ulimits",
      "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir"};
  // clang-format on
  return keys;
}

struct Joined {
  std::string network_key;  // compose key
  YamlNode node;
  std::string ipv4, ipv6, mac, interface;
  std::vector<std::string> aliases;
};

struct Service {
  std::string compose_name;
  YamlNode node;
  OutContainer c;
  std::vector<Joined> joined;
  bool networks_written = false;
  YamlNode networks_node, mode_node, ports_node, dns_node, sysctls_node;
  std::string mode_text;  // as written
  std::string service_mac;
  std::vector<std::pair<YamlNode, std::string>> links;  // as written
};

void read_one_network(const ComposeContext& ctx, const std::string& key, const YamlNode& name_node,
                      const YamlNode& value, Service& s) {
  const YamlInput& in = ctx.in;
  Joined j;
  j.network_key = in.text(name_node, key);
  j.node = name_node;
  const std::string base = key + "." + j.network_key;
  for (const auto& [k, v] : in.map(value, base)) {
    const std::string name = in.text(k, base);
    const std::string sub = base + "." + name;
    if (name == "aliases") {
      for (const auto& [n, alias] : in.texts(v, sub)) {
        if (!valid_object_name(alias))
          in.fail(n, sub, "alias \"" + alias + "\" is not a topo name (" + kNameRule + ")");
        j.aliases.push_back(alias);
      }
    } else if (name == "ipv4_address" || name == "ipv6_address") {
      const std::string t = in.text(v, sub);
      auto ip = IpAddress::parse(t);
      if (!ip || ip->is_v4() != (name == "ipv4_address"))
        in.fail(v, sub, "\"" + t + "\" is not an " + (name == "ipv4_address" ? "IPv4" : "IPv6") + " address");
      (name == "ipv4_address" ? j.ipv4 : j.ipv6) = t;
    } else if (name == "mac_address") {
      j.mac = in.text(v, sub);
      if (!valid_mac(j.mac)) in.fail(v, sub, "\"" + j.mac + "\" is not a MAC address (02:42:ac:11:00:02)");
    } else if (name == "interface_name") {
      j.interface = in.text(v, sub);
      if (!valid_ifname(j.interface)) in.fail(v, sub, "\"" + j.interface + "\" is not an interface name (1-15 bytes)");
    } else if (name == "priority" || name == "gw_priority") {
      in.note(k, sub, "not carried over: topo orders interfaces as written and routes by default via the first");
    } else if (name == "link_local_ips" || name == "driver_opts") {
      in.note(k, sub, "not carried over: no topo equivalent");
    } else {
      in.fail(k, sub,
              "unknown key (expected aliases, ipv4_address, ipv6_address, mac_address, interface_name, "
              "priority, gw_priority, link_local_ips, driver_opts)");
    }
  }
  s.joined.push_back(std::move(j));
}

void read_networks(const ComposeContext& ctx, const std::string& key, const YamlNode& node, Service& s) {
  s.networks_written = true;
  s.networks_node = node;
  if (node.is_sequence()) {
    for (std::size_t i = 0; i < node.items().size(); ++i)
      read_one_network(ctx, key + "[" + std::to_string(i) + "]", node.items()[i], YamlNode(), s);
    return;
  }
  for (const auto& [k, v] : ctx.in.map(node, key)) read_one_network(ctx, key, k, v, s);
}

void read_key(ComposeContext& ctx, Service& s, const std::string& name, const YamlNode& k, const YamlNode& v) {
  YamlInput& in = ctx.in;
  const std::string key = "services." + s.compose_name + "." + name;
  if (name == "container_name") {
    s.c.name = in.text(v, key);
    if (!valid_object_name(s.c.name)) in.fail(v, key, "\"" + s.c.name + "\" is not a topo name (" + kNameRule + ")");
  } else if (name == "networks") {
    read_networks(ctx, key, v, s);
  } else if (name == "network_mode") {
    s.mode_text = in.text(v, key);
    s.mode_node = v;
  } else if (name == "ports") {
    s.c.ports = compose_ports(in, v, key);
    s.ports_node = k;
  } else if (name == "links") {
    s.links = in.texts(v, key);
  } else if (name == "dns") {
    for (const auto& [n, t] : in.texts(v, key)) {
      if (!IpAddress::parse(t)) in.fail(n, key, "\"" + t + "\" is not an IP address");
      s.c.dns.push_back(t);
    }
    s.dns_node = k;
  } else if (name == "dns_search") {
    for (const auto& [n, t] : in.texts(v, key)) {
      if (!valid_domain(t)) in.fail(n, key, "\"" + t + "\" is not a domain name");
      s.c.dns_search.push_back(t);
    }
    if (!s.dns_node.defined()) s.dns_node = k;
  } else if (name == "extra_hosts") {
    for (const auto& kv : in.key_values(v, key, v.is_map() ? "=" : ":=")) {
      if (kv.value == "host-gateway") {
        in.note(kv.node, key,
                "not carried over: \"" + kv.key +
                    "\" at host-gateway (Docker's special value); "
                    "write the host's address on the network instead");
        continue;
      }
      if (!IpAddress::parse(kv.value))
        in.fail(kv.node, key, "\"" + kv.value + "\" (for " + kv.key + ") is not an IP address");
      s.c.extra_hosts.push_back(kv.key + ":" + kv.value);
    }
  } else if (name == "hostname") {
    s.c.hostname = in.text(v, key);
    if (!valid_domain(s.c.hostname)) in.fail(v, key, "\"" + s.c.hostname + "\" is not a host name");
  } else if (name == "sysctls") {
    for (const auto& kv : in.key_values(v, key, "=")) {
      if (kv.key.rfind("net.", 0) != 0) {
        in.note(kv.node, key + "." + kv.key, "not carried over: only net.* sysctls belong to a network namespace");
        continue;
      }
      s.c.sysctls.emplace_back(kv.key, OutValue{kv.value, kv.value_is_text});
    }
    s.sysctls_node = k;
  } else if (name == "mac_address") {
    s.service_mac = in.text(v, key);
    if (!valid_mac(s.service_mac))
      in.fail(v, key, "\"" + s.service_mac + "\" is not a MAC address (02:42:ac:11:00:02)");
  } else if (name == "expose") {
    in.note(k, key, "not carried over: containers on one topo network reach each other on every port");
  } else if (name == "external_links") {
    in.note(k, key, "not carried over: links to containers outside this file");
  } else if (name == "dns_opt") {
    in.note(k, key, "not carried over: topo writes nameserver and search lines only");
  } else if (name == "domainname") {
    in.note(k, key, "not carried over: topo writes the hostname only");
  } else if (name == "deploy" || name == "scale") {
    in.note(k, key, "not carried over: one container per service (replicas and resources are the runtime's)");
  } else if (name.rfind("x-", 0) == 0) {
    in.note(k, key, "not carried over: an extension field");
  } else if (process_keys().count(name)) {
    in.note(k, key,
            "not carried over: topo wires networks only; the process, its files and resources are "
            "the runtime's");
  } else {
    in.fail(k, key, "not a key of a compose service");
  }
}

// network_mode as the contract spells it; "" = default (the service's own networks).
void apply_mode(ComposeContext& ctx, Service& s, const std::map<std::string, std::string>& container_of) {
  YamlInput& in = ctx.in;
  const std::string key = "services." + s.compose_name + ".network_mode";
  const std::string& m = s.mode_text;
  if (m.empty()) return;
  if (s.networks_written)
    in.fail(s.mode_node, key, "network_mode and networks cannot be combined (compose refuses it too)");
  if (m == "host" || m == "none") {
    s.c.network_mode = m;
  } else if (m.rfind("service:", 0) == 0) {
    const std::string target = m.substr(8);
    auto t = container_of.find(target);
    if (t == container_of.end()) in.fail(s.mode_node, key, "names unknown service \"" + target + "\"");
    s.c.network_mode = "container:" + t->second;
  } else if (m.rfind("container:", 0) == 0) {
    in.note(s.mode_node, key,
            "not carried over: joins a container outside this file; the service gets a "
            "namespace of its own with no networks");
    s.c.network_mode = "none";
  } else if (m == "bridge" || m == "default") {
    in.note(s.mode_node, key,
            "Docker's default bridge has no topo counterpart here: the service joins the "
            "project's default network instead (where it also resolves names)");
    s.mode_text.clear();
  } else {
    in.fail(s.mode_node, key, "expected host, none, bridge, service:NAME or container:NAME, got \"" + m + "\"");
  }
}

// What a network mode forbids (the contract's rules), dropped with a note.
void drop_for_mode(const YamlInput& in, Service& s) {
  const std::string& m = s.c.network_mode;
  if (m.empty()) return;
  const std::string base = "services." + s.compose_name + ".";
  const std::string why = "not carried over: meaningless with network_mode " + m;
  if (!s.c.ports.empty()) {
    in.note(s.ports_node, base + "ports", why);
    s.c.ports.clear();
  }
  if (m == "none") return;
  if (!s.c.dns.empty() || !s.c.dns_search.empty()) {
    in.note(s.dns_node, base + "dns",
            why + " (the namespace's resolv.conf is " + (m == "host" ? "the host's" : "the other container's") + ")");
    s.c.dns.clear();
    s.c.dns_search.clear();
  }
  if (!s.c.sysctls.empty()) {
    in.note(s.sysctls_node, base + "sysctls", why);
    s.c.sysctls.clear();
  }
}

// A MAC belongs to an attachment; a service in another's (or the host's)
// namespace has none.
void drop_mac_for_mode(const YamlInput& in, Service& s) {
  if (s.c.network_mode.empty() || s.service_mac.empty()) return;
  in.note(s.node, "services." + s.compose_name + ".mac_address",
          "not carried over: meaningless with network_mode " + s.c.network_mode);
  s.service_mac.clear();
}

void attach(ComposeContext& ctx, Service& s) {
  YamlInput& in = ctx.in;
  if (!s.c.network_mode.empty()) return;
  if (!s.networks_written) {
    Joined d;
    d.network_key = "default";
    d.node = s.node;
    s.joined.push_back(d);
  }
  std::vector<OutAttachment> made;
  const std::string base = "services." + s.compose_name + ".networks";
  for (const Joined& j : s.joined) {
    auto n = ctx.networks.find(j.network_key);
    if (n == ctx.networks.end())
      in.fail(j.node, base, "names network \"" + j.network_key + "\", which `networks` does not declare");
    if (n->second.name.empty()) {
      in.note(j.node, base + "." + j.network_key, "not carried over: the network is external");
      continue;
    }
    n->second.used = true;
    if ((!j.ipv4.empty() || !j.ipv6.empty()) && !n->second.has_subnet)
      in.fail(j.node, base + "." + j.network_key,
              "a static address needs the network's subnet written (ipam.config), as Docker requires too");
    OutAttachment a{s.c.name, n->second.name, j.interface, j.ipv4, j.ipv6, j.mac, j.aliases};
    made.push_back(std::move(a));
  }
  if (!s.service_mac.empty()) {
    if (made.empty() || !made.front().mac.empty())
      in.note(s.node, "services." + s.compose_name + ".mac_address", "not carried over: no attachment takes it");
    else
      made.front().mac = s.service_mac;
  }
  if (made.size() > 1)
    for (std::size_t i = 0; i < made.size(); ++i)
      if (made[i].interface.empty()) made[i].interface = "eth" + std::to_string(i);
  for (OutAttachment& a : made) ctx.out.attachments.push_back(std::move(a));
}

void link(const ComposeContext& ctx, Service& s, const std::map<std::string, std::string>& container_of) {
  const std::string key = "services." + s.compose_name + ".links";
  for (const auto& [node, text] : s.links) {
    const std::size_t colon = text.find(':');
    const std::string target = text.substr(0, colon);
    auto t = container_of.find(target);
    if (t == container_of.end()) ctx.in.fail(node, key, "links to unknown service \"" + target + "\"");
    std::string out = t->second;
    if (colon != std::string::npos) {
      const std::string alias = text.substr(colon + 1);
      if (!valid_object_name(alias))
        ctx.in.fail(node, key, "alias \"" + alias + "\" is not a topo name (" + kNameRule + ")");
      if (alias != t->second) out += ":" + alias;
    }
    s.c.links.push_back(out);
  }
}

}  // namespace

void read_compose_services(ComposeContext& ctx, const YamlNode& services) {
  YamlInput& in = ctx.in;
  std::vector<Service> all;
  std::map<std::string, std::string> container_of;  // service -> container name
  for (const auto& [k, v] : in.map(services, "services")) {
    Service s;
    s.compose_name = in.text(k, "services");
    s.node = k;
    s.c.name = s.compose_name;
    for (const auto& [sk, sv] : in.map(v, "services." + s.compose_name))
      read_key(ctx, s, in.text(sk, "services." + s.compose_name), sk, sv);
    if (!valid_object_name(s.c.name))
      in.fail(k, "services." + s.compose_name,
              "the container name \"" + s.c.name + "\" is not a topo name (" + kNameRule + "); set container_name");
    container_of[s.compose_name] = s.c.name;
    all.push_back(std::move(s));
  }
  for (Service& s : all) {
    apply_mode(ctx, s, container_of);
    drop_for_mode(in, s);
    drop_mac_for_mode(in, s);
    link(ctx, s, container_of);
    attach(ctx, s);
    ctx.out.containers.push_back(s.c);
  }
  for (OutContainer* c : publishing_without_outside_network(ctx.out))
    for (const Service& s : all)
      if (s.c.name == c->name) {
        in.note(s.ports_node, "services." + s.compose_name + ".ports",
                "not carried over: the service is on internal networks only, where published ports never answer");
        c->ports.clear();
      }
}

}  // namespace topo::importers
