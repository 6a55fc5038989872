#include "reconciler/importers/compose_ports.hpp"

#include <algorithm>
#include <optional>

#include "reconciler/importers/manifest.hpp"
#include "reconciler/loader/value_parsers.hpp"
#include "reconciler/model/ip.hpp"

namespace topo::importers {
namespace {

struct Range {
  int first = 0, last = 0;  // last == first for one port
  int size() const { return last - first + 1; }
};

// "80" or "8000-8010"; nullopt when it does not parse.
std::optional<Range> parse_range(const std::string& t) {
  const std::size_t dash = t.find('-');
  auto first = loader::parse_port_number(t.substr(0, dash));
  if (!first) return std::nullopt;
  if (dash == std::string::npos) return Range{*first, *first};
  auto last = loader::parse_port_number(t.substr(dash + 1));
  if (!last || *last < *first) return std::nullopt;
  return Range{*first, *last};
}

struct Entry {
  std::string host_ip;
  std::optional<Range> host;  // nullopt: topo chooses
  Range container;
  std::string protocol = "tcp";
};

bool known_protocol(const std::string& p) { return p == "tcp" || p == "udp" || p == "sctp"; }

void check_host_ip(const YamlInput& in, const YamlNode& node, const std::string& key, const std::string& ip) {
  if (!ip.empty() && !IpAddress::parse(ip)) in.fail(node, key, "host address \"" + ip + "\" is not an IP address");
}

Entry parse_short(const YamlInput& in, const YamlNode& node, const std::string& key) {
  const std::string text = in.text(node, key);
  const auto bad = [&](const std::string& why) -> Entry {
    in.fail(
        node, key,
        "port \"" + text + "\" does not parse: " + why + " (expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL])");
  };
  Entry e;
  std::string rest = text;
  if (const std::size_t slash = rest.rfind('/'); slash != std::string::npos) {
    e.protocol = rest.substr(slash + 1);
    rest.erase(slash);
    if (!known_protocol(e.protocol)) bad("protocol \"" + e.protocol + "\" is not tcp, udp or sctp");
  }
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:HOST:CONTAINER
    const std::size_t close = rest.find("]:");
    if (close == std::string::npos) bad("an IPv6 host address needs \"]:\" after it");
    e.host_ip = rest.substr(1, close - 1);
    rest.erase(0, close + 2);
    if (rest.find(':') == std::string::npos) bad("a host address needs a host port part (maybe empty) after it");
  } else if (std::count(rest.begin(), rest.end(), ':') > 2) {  // bare IPv6: the last two parts are the ports
    const std::size_t c2 = rest.rfind(':');
    const std::size_t c1 = rest.rfind(':', c2 - 1);
    e.host_ip = rest.substr(0, c1);
    rest.erase(0, c1 + 1);
  } else if (std::count(rest.begin(), rest.end(), ':') == 2) {
    const std::size_t c1 = rest.find(':');
    e.host_ip = rest.substr(0, c1);
    rest.erase(0, c1 + 1);
  }
  check_host_ip(in, node, key, e.host_ip);
  const std::size_t colon = rest.find(':');
  const std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
  const std::string container = colon == std::string::npos ? rest : rest.substr(colon + 1);
  auto c = parse_range(container);
  if (!c) bad("container port \"" + container + "\" is not a port from 1 to 65535 or a range of them");
  e.container = *c;
  if (!host.empty()) {
    e.host = parse_range(host);
    if (!e.host) bad("host port \"" + host + "\" is not a port from 1 to 65535 or a range of them");
  }
  return e;
}

Entry parse_long(const YamlInput& in, const YamlNode& node, const std::string& key) {
  Entry e;
  bool has_target = false;
  for (const auto& [k, v] : in.map(node, key)) {
    const std::string name = in.text(k, key);
    const std::string sub = key + "." + name;
    if (name == "target") {
      e.container = Range{in.integer(v, sub, 1, 65535), 0};
      e.container.last = e.container.first;
      has_target = true;
    } else if (name == "published") {
      const std::string t = in.text(v, sub);
      if (t.empty()) continue;
      e.host = parse_range(t);
      if (!e.host) in.fail(v, sub, "\"" + t + "\" is not a port from 1 to 65535 or a range of them");
    } else if (name == "host_ip") {
      e.host_ip = in.text(v, sub);
      check_host_ip(in, v, sub, e.host_ip);
    } else if (name == "protocol") {
      e.protocol = in.text(v, sub);
      if (!known_protocol(e.protocol)) in.fail(v, sub, "\"" + e.protocol + "\" is not tcp, udp or sctp");
    } else if (name == "mode") {
      const std::string mode = in.text(v, sub);
      if (mode == "ingress")
        in.note(v, sub, "not carried over: swarm's routing mesh; topo publishes on this host (as mode: host)");
      else if (mode != "host")
        in.fail(v, sub, "expected host or ingress, got \"" + mode + "\"");
    } else if (name == "app_protocol" || name == "name") {
      in.note(k, sub, "not carried over: a label for tools, no effect on the network");
    } else {
      in.fail(k, sub, "unknown key of a port (expected target, published, host_ip, protocol, mode)");
    }
  }
  if (!has_target) in.fail(node, key, "a port in the long form needs `target`");
  return e;
}

void expand(const YamlInput& in, const YamlNode& node, const std::string& key, Entry e,
            std::vector<std::string>& out) {
  const int n = e.container.size();
  if (e.host && e.host->size() != n && !(n == 1 && e.host->size() > 1))
    in.fail(node, key,
            "host range " + std::to_string(e.host->first) + "-" + std::to_string(e.host->last) +
                " and container range " + std::to_string(e.container.first) + "-" + std::to_string(e.container.last) +
                " differ in length");
  if (n > kMaxExpandedPorts) {
    in.note(node, key,
            "not carried over: a range of " + std::to_string(n) + " ports (more than " +
                std::to_string(kMaxExpandedPorts) + "); write the ones needed one by one");
    return;
  }
  if (e.host && n == 1 && e.host->size() > 1)
    in.note(node, key,
            "a host port range for one container port: Docker takes a free one of " + std::to_string(e.host->first) +
                "-" + std::to_string(e.host->last) + ", topo takes " + std::to_string(e.host->first));
  // "::" and "0.0.0.0" are every address, as Docker reads them (and as the
  // docker importer does): the same as no address.
  if (e.host_ip == "::" || e.host_ip == "0.0.0.0") e.host_ip.clear();
  if (e.host_ip.find(':') != std::string::npos) {
    in.note(node, key,
            "not carried over: topo does not publish on an IPv6 host address yet; leave the address out "
            "to publish on every one");
    return;
  }
  for (int i = 0; i < n; ++i) {
    std::optional<int> host;
    if (e.host) host = e.host->first + (e.host->size() > 1 && n > 1 ? i : 0);
    out.push_back(port_string(e.host_ip, host, e.container.first + i, e.protocol));
  }
}

}  // namespace

std::vector<std::string> compose_ports(const YamlInput& in, const YamlNode& ports, const std::string& key) {
  std::vector<std::string> out;
  if (!ports.defined() || ports.is_null()) return out;
  if (!ports.is_sequence()) in.fail(ports, key, "expected a list of ports");
  for (std::size_t i = 0; i < ports.items().size(); ++i) {
    const YamlNode item = ports.items()[i];
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    const Entry e = item.is_map() ? parse_long(in, item, item_key) : parse_short(in, item, item_key);
    expand(in, item, item_key, e, out);
    // Aliases make a long list cheap to write; no service has more ports than exist.
    if (out.size() > kMaxPortsPerService)
      in.fail(item, item_key, "more than " + std::to_string(kMaxPortsPerService) + " published ports");
  }
  return out;
}

}  // namespace topo::importers
