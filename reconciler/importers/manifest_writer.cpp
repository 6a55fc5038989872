#include "reconciler/importers/manifest_writer.hpp"

#include <cstdio>
#include <sstream>

#include "reconciler/importers/yaml_emitter.hpp"

namespace topo::importers {
namespace {

void key(YamlEmitter& y, const char* k) { y.string(k); }

void opt_string(YamlEmitter& y, const char* k, const std::string& v) {
  if (v.empty()) return;
  key(y, k);
  y.string(v);
}

void opt_bool(YamlEmitter& y, const char* k, const std::optional<bool>& v) {
  if (!v) return;
  key(y, k);
  y.plain(*v ? "true" : "false");
}

void strings(YamlEmitter& y, const char* k, const std::vector<std::string>& v) {
  if (v.empty()) return;
  key(y, k);
  y.begin_list(true);
  for (const std::string& s : v) y.string(s);
  y.end_list();
}

void subnet_fields(YamlEmitter& y, const OutSubnet& s) {
  opt_string(y, "subnet", s.subnet);
  opt_string(y, "gateway", s.gateway);
  opt_string(y, "ip_range", s.ip_range);
}

void network(YamlEmitter& y, const OutNetwork& n) {
  y.begin_map();
  opt_string(y, "name", n.name);
  opt_string(y, "driver", n.driver);
  if (n.subnets.size() == 1) {
    subnet_fields(y, n.subnets.front());
  } else if (n.subnets.size() > 1) {
    key(y, "subnets");
    y.begin_list();
    for (const OutSubnet& s : n.subnets) {
      y.begin_map(true);
      subnet_fields(y, s);
      y.end_map();
    }
    y.end_list();
  }
  if (n.mtu) {
    key(y, "mtu");
    y.plain(std::to_string(*n.mtu));
  }
  opt_bool(y, "internal", n.internal);
  opt_string(y, "bridge", n.bridge);
  opt_bool(y, "icc", n.icc);
  opt_bool(y, "masquerade", n.masquerade);
  opt_string(y, "parent", n.parent);
  opt_string(y, "mode", n.mode);
  y.end_map();
}

void container(YamlEmitter& y, const OutContainer& c) {
  y.begin_map();
  opt_string(y, "name", c.name);
  opt_string(y, "network_mode", c.network_mode);
  opt_string(y, "hostname", c.hostname);
  strings(y, "dns", c.dns);
  strings(y, "dns_search", c.dns_search);
  strings(y, "ports", c.ports);
  strings(y, "extra_hosts", c.extra_hosts);
  strings(y, "links", c.links);
  if (!c.sysctls.empty()) {
    key(y, "sysctls");
    y.begin_map();
    for (const auto& [k, v] : c.sysctls) {
      y.string(k);
      if (v.is_string)
        y.string(v.text);
      else
        y.plain(v.text);
    }
    y.end_map();
  }
  y.end_map();
}

void attachment(YamlEmitter& y, const OutAttachment& a) {
  y.begin_map(true);
  opt_string(y, "container", a.container);
  opt_string(y, "network", a.network);
  opt_string(y, "interface", a.interface);
  opt_string(y, "ipv4", a.ipv4);
  opt_string(y, "ipv6", a.ipv6);
  opt_string(y, "mac", a.mac);
  strings(y, "aliases", a.aliases);
  y.end_map();
}

template <typename T, typename F>
void list(YamlEmitter& y, const char* k, const std::vector<T>& items, F each) {
  if (items.empty()) return;
  key(y, k);
  y.begin_list();
  for (const T& item : items) each(y, item);
  y.end_list();
}

}  // namespace

std::string port_string(const std::string& host_ip, std::optional<int> host_port, int container_port,
                        const std::string& protocol) {
  std::string out;
  if (!host_ip.empty()) out = (host_ip.find(':') != std::string::npos ? "[" + host_ip + "]" : host_ip) + ":";
  if (host_port)
    out += std::to_string(*host_port) + ":";
  else if (!host_ip.empty())
    out += ":";
  out += std::to_string(container_port);
  if (!protocol.empty() && protocol != "tcp") out += "/" + protocol;
  return out;
}

namespace {

// A comment line carries what a file name holds as \xNN escapes beyond
// printable ASCII: a carriage return, U+2028 or a byte that is not UTF-8
// would end the comment (or the document's validity) and let the name
// write YAML of its own.
std::string comment_safe(const std::string& line) {
  std::string out;
  for (unsigned char c : line) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string write_manifest(const OutManifest& m, const std::string& header) {
  YamlEmitter y;
  y.begin_document();
  y.begin_map();
  key(y, "version");
  y.plain("1");
  opt_string(y, "stack", m.stack);
  list(y, "networks", m.networks, network);
  list(y, "containers", m.containers, container);
  list(y, "attachments", m.attachments, attachment);
  y.end_map();
  y.end_document();

  std::string out;
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);) out += line.empty() ? "#\n" : "# " + comment_safe(line) + "\n";
  // libyaml starts an implicit document with nothing and ends it with "...";
  // neither is needed for a single document.
  std::string body = y.text();
  if (body.size() >= 4 && body.compare(body.size() - 4, 4, "...\n") == 0) body.erase(body.size() - 4);
  return out + body;
}

}  // namespace topo::importers
