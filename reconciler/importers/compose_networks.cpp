// Compose's top-level `networks` as manifest networks. Compose names the
// Docker network `<project>_<key>` (or `name:`); the manifest network takes
// that same name, so `docker network ls` and `topo show` agree.
#include <set>

#include "reconciler/importers/compose_context.hpp"
#include "reconciler/importers/docker_options.hpp"
#include "reconciler/importers/names.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::importers {
namespace {

const char* const kNotWiring = "not carried over: topo wires networks only";

void read_driver_opts(ComposeContext& ctx, const YamlNode& node, const std::string& key, OutNetwork& n) {
  YamlInput& in = ctx.in;
  for (const auto& kv : in.key_values(node, key, "=")) {
    const std::string sub = key + "." + kv.key;
    std::string error;
    switch (apply_docker_option(kv.key, kv.value, n, error)) {
      case OptionUse::Carried:
      case OptionUse::Ignored:
        break;
      case OptionUse::Unknown:
        in.note(kv.node, sub, kOptionNotCarried);
        break;
      case OptionUse::Invalid:
        in.fail(kv.node, sub, error);
    }
  }
}

void read_ipam(ComposeContext& ctx, const YamlNode& node, const std::string& key, OutNetwork& n) {
  YamlInput& in = ctx.in;
  for (const auto& [k, v] : in.map(node, key)) {
    const std::string name = in.text(k, key);
    const std::string sub = key + "." + name;
    if (name == "driver") {
      if (in.text(v, sub) != "default") in.note(v, sub, "not carried over: topo allocates addresses itself");
    } else if (name == "config") {
      if (!v.is_sequence()) in.fail(v, sub, "expected a list of {subnet, gateway, ip_range}");
      for (std::size_t i = 0; i < v.items().size(); ++i) {
        const std::string item_key = sub + "[" + std::to_string(i) + "]";
        OutSubnet s;
        for (const auto& [ck, cv] : in.map(v.items()[i], item_key)) {
          const std::string cname = in.text(ck, item_key);
          const std::string ckey = item_key + "." + cname;
          if (cname == "subnet" || cname == "ip_range") {
            const std::string t = in.text(cv, ckey);
            if (!IpPrefix::parse(t)) in.fail(cv, ckey, "\"" + t + "\" is not a CIDR");
            (cname == "subnet" ? s.subnet : s.ip_range) = t;
          } else if (cname == "gateway") {
            s.gateway = in.text(cv, ckey);
            if (!IpAddress::parse(s.gateway)) in.fail(cv, ckey, "\"" + s.gateway + "\" is not an IP address");
          } else if (cname == "aux_addresses") {
            in.note(ck, ckey, "not carried over: topo has no reserved addresses; give the devices static ones");
          } else {
            in.fail(ck, ckey, "unknown key (expected subnet, gateway, ip_range, aux_addresses)");
          }
        }
        if (s.subnet.empty()) in.fail(v.items()[i], item_key, "an ipam config without `subnet`");
        n.subnets.push_back(s);
      }
    } else if (name == "options") {
      in.note(k, sub, "not carried over: options of an IPAM driver");
    } else {
      in.fail(k, sub, "unknown key (expected driver, config, options)");
    }
  }
}

bool has_v6(const OutNetwork& n) {
  for (const OutSubnet& s : n.subnets)
    if (s.subnet.find(':') != std::string::npos) return true;
  return false;
}

void read_network(ComposeContext& ctx, const std::string& compose_key, const YamlNode& key_node, const YamlNode& node) {
  YamlInput& in = ctx.in;
  const std::string key = "networks." + compose_key;
  OutNetwork n;
  n.name = ctx.project + "_" + compose_key;
  std::string driver = "bridge";
  YamlNode driver_node = key_node;
  bool enable_ipv6 = false;
  YamlNode ipv6_node;
  for (const auto& [k, v] : in.map(node, key)) {
    const std::string name = in.text(k, key);
    const std::string sub = key + "." + name;
    if (name == "driver") {
      driver = in.text(v, sub);
      driver_node = v;
    } else if (name == "driver_opts") {
      read_driver_opts(ctx, v, sub, n);
    } else if (name == "ipam") {
      read_ipam(ctx, v, sub, n);
    } else if (name == "internal") {
      if (in.boolean(v, sub)) n.internal = true;
    } else if (name == "external") {
      if (v.is_map() || in.boolean(v, sub)) {
        in.note(k, sub,
                "not carried over: an external network is made elsewhere, not by this import; "
                "services attached to it are not attached");
        ctx.networks[compose_key] = ComposeNetwork{"", false, false, key_node, false};
        return;
      }
    } else if (name == "name") {
      n.name = in.text(v, sub);
    } else if (name == "enable_ipv6") {
      enable_ipv6 = in.boolean(v, sub);
      ipv6_node = k;
    } else if (name == "enable_ipv4") {
      if (!in.boolean(v, sub)) in.note(k, sub, "not carried over: topo's networks always have IPv4");
    } else if (name == "attachable") {
      in.note(k, sub, "not carried over: every topo network takes attachments");
    } else if (name == "labels") {
      in.note(k, sub, kNotWiring);
    } else if (name.rfind("x-", 0) == 0) {
      in.note(k, sub, "not carried over: an extension field");
    } else {
      in.fail(k, sub,
              "unknown key (expected driver, driver_opts, ipam, internal, external, name, enable_ipv6, "
              "enable_ipv4, attachable, labels)");
    }
  }
  if (!valid_object_name(n.name))
    in.fail(key_node, key, "the network name \"" + n.name + "\" is not a topo name (" + kNameRule + ")");
  if (driver == "overlay") {
    in.note(driver_node, key + ".driver",
            "imported as a local bridge: a swarm overlay has no compose-local equivalent (topo's overlay needs "
            "`vni` and `hosts`; see README \"Several hosts\")");
  } else if (driver == "macvlan" || driver == "ipvlan") {
    n.driver = driver;
    if (n.parent.empty())
      in.fail(key_node, key, driver + " needs driver_opts.parent (the host interface); topo makes no dummy parent");
    if (n.subnets.empty()) in.fail(key_node, key, driver + " needs ipam.config with the parent's subnet");
  } else if (driver != "bridge") {
    in.fail(driver_node, key + ".driver", "driver \"" + driver + "\" has no topo equivalent (bridge, macvlan, ipvlan)");
  }
  if (driver != "macvlan" && driver != "ipvlan" && drop_sub_interface_options(n))
    in.note(driver_node, key + ".driver_opts", kSubInterfaceOptionsNotCarried);
  if (enable_ipv6 && !has_v6(n))
    in.note(ipv6_node, key + ".enable_ipv6",
            "not carried over: no IPv6 subnet is written and topo's address pools are IPv4; add one under "
            "ipam.config");
  ComposeNetwork made{n.name, !n.subnets.empty(), n.internal.value_or(false), key_node, false};
  ctx.networks[compose_key] = made;
  ctx.out.networks.push_back(std::move(n));
}

}  // namespace

void read_compose_networks(ComposeContext& ctx, const YamlNode& networks) {
  for (const auto& [k, v] : ctx.in.map(networks, "networks")) {
    const std::string compose_key = ctx.in.text(k, "networks");
    read_network(ctx, compose_key, k, v);
  }
  if (!ctx.networks.count("default"))
    ctx.networks["default"] = ComposeNetwork{ctx.project + "_default", false, false, YamlNode(), false};
}

void add_default_network(ComposeContext& ctx) {
  const ComposeNetwork& d = ctx.networks.at("default");
  if (!d.used || d.name.empty() || ctx.out.network(d.name)) return;
  OutNetwork n;
  n.name = d.name;
  if (!valid_object_name(n.name))
    ctx.in.fail(YamlNode(), "networks.default",
                "the default network's name \"" + n.name + "\" is not a topo name (" + kNameRule + ")");
  ctx.out.networks.push_back(n);
}

void drop_unused_networks(ComposeContext& ctx) {
  for (const auto& [key, n] : ctx.networks) {
    if (n.used || n.name.empty() || !n.key.defined()) continue;
    ctx.in.note(n.key, "networks." + key,
                "not carried over: no service joins it, and compose does not create it either");
    // A named copy: clang 14 (the fuzzer's compiler) cannot capture a structured binding.
    const std::string& name = n.name;
    std::erase_if(ctx.out.networks, [&name](const OutNetwork& o) { return o.name == name; });
  }
}

}  // namespace topo::importers
