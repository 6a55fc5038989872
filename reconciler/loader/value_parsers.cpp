#include "reconciler/loader/value_parsers.hpp"

#include <charconv>

namespace topo::loader {

std::optional<int> parse_port_number(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 65535) return std::nullopt;
  return v;
}

Parsed<PortMapping> parse_port_spec(const std::string& text) {
  PortMapping pm;
  std::string rest = text;
  if (const std::size_t slash = rest.rfind('/'); slash != std::string::npos) {
    pm.protocol = rest.substr(slash + 1);
    rest.resize(slash);
    if (pm.protocol != "tcp" && pm.protocol != "udp" && pm.protocol != "sctp")
      return {std::nullopt, "protocol \"" + pm.protocol + "\" is not tcp, udp or sctp"};
  }
  // From the right: container port, host port, then whatever is left is the
  // host address (which may itself contain ':' when it is IPv6 in brackets).
  // A host port left out ("80", "127.0.0.1::80") is chosen by topo: 0 here.
  const std::size_t c = rest.rfind(':');
  const std::string container_port = c == std::string::npos ? rest : rest.substr(c + 1);
  std::string host_port;
  if (c != std::string::npos) {
    rest.resize(c);
    host_port = rest;
    if (const std::size_t h = rest.rfind(':'); h != std::string::npos) {
      host_port = rest.substr(h + 1);
      pm.host_ip = rest.substr(0, h);
      if (pm.host_ip.size() >= 2 && pm.host_ip.front() == '[' && pm.host_ip.back() == ']')
        pm.host_ip = pm.host_ip.substr(1, pm.host_ip.size() - 2);
      if (!IpAddress::parse(pm.host_ip))
        return {std::nullopt, "\"" + pm.host_ip + "\" is not an IP address (IPv6 goes in brackets: \"[::1]:8080:80\")"};
    }
  }
  const auto cp = parse_port_number(container_port);
  if (!cp) {
    if (c == std::string::npos)
      return {std::nullopt, "expected \"host_port:container_port\" or \"container_port\", e.g. \"8080:80\" or \"80\""};
    return {std::nullopt, "container port \"" + container_port + "\" is not a port number between 1 and 65535"};
  }
  if (!host_port.empty()) {
    const auto hp = parse_port_number(host_port);
    if (!hp) return {std::nullopt, "host port \"" + host_port + "\" is not a port number between 1 and 65535"};
    pm.host_port = *hp;
  }
  pm.container_port = *cp;
  return {pm, ""};
}

Parsed<ExtraHost> parse_extra_host(const std::string& text) {
  const std::size_t c = text.find(':');
  if (c == std::string::npos || c == 0) return {std::nullopt, "expected \"name:ip\", e.g. \"db:10.0.0.5\""};
  const std::string ip_text = text.substr(c + 1);
  const auto ip = IpAddress::parse(ip_text);
  if (!ip) return {std::nullopt, "\"" + ip_text + "\" is not an IP address"};
  return {ExtraHost{text.substr(0, c), *ip}, ""};
}

Parsed<ContainerLink> parse_link(const std::string& text) {
  ContainerLink link;
  const std::size_t c = text.find(':');
  link.target = text.substr(0, c);
  link.alias = c == std::string::npos ? link.target : text.substr(c + 1);
  if (link.target.empty() || link.alias.empty())
    return {std::nullopt, "expected \"container\" or \"container:alias\""};
  return {link, ""};
}

}  // namespace topo::loader
