#include "reconciler/cluster/keys.hpp"

#include "reconciler/cluster/error.hpp"

namespace topo::cluster {
namespace {

bool name_char(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && (c == '_' || c == '.' || c == '-');
}

std::optional<ParsedKey> fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return std::nullopt;
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0)) return false;
  return true;
}

void check_name(std::string_view what, std::string_view name) {
  if (valid_name(name)) return;
  throw ClusterError(ClusterError::Kind::invalid_argument,
                     "etcd registry: " + std::string(what) + " name \"" + std::string(name) +
                         "\" cannot be used in a key: it must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$");
}

std::string subnet_key_part(const IpPrefix& subnet) {
  return subnet.network().str() + "-" + std::to_string(subnet.len);
}

std::optional<IpPrefix> parse_subnet_key_part(std::string_view part) {
  auto dash = part.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string text(part);
  text[dash] = '/';
  auto p = IpPrefix::parse(text);
  // One spelling per subnet: "10.50.3.0-24", never "10.50.3.7-24" or "010...".
  if (!p || !p->is_network() || subnet_key_part(*p) != part) return std::nullopt;
  return p;
}

KeyLayout::KeyLayout(std::string prefix) {
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.empty() || prefix == "/" || prefix.front() != '/' || prefix.find("//") != std::string::npos ||
      prefix.find('\0') != std::string::npos)
    throw ClusterError(ClusterError::Kind::invalid_argument,
                       "etcd registry: prefix \"" + prefix + "\" must start with '/' and name a folder, as /topo does");
  prefix_ = std::move(prefix);
}

std::string KeyLayout::node(std::string_view node) const {
  check_name("node", node);
  return nodes() + std::string(node);
}

std::string KeyLayout::subnets(std::string_view network) const {
  check_name("network", network);
  return prefix_ + "/subnets/" + std::string(network) + "/";
}

std::string KeyLayout::subnet(std::string_view network, const IpPrefix& subnet) const {
  return subnets(network) + subnet_key_part(subnet);
}

std::string KeyLayout::addresses(std::string_view network) const {
  check_name("network", network);
  return prefix_ + "/addresses/" + std::string(network) + "/";
}

std::string KeyLayout::address(std::string_view network, const IpAddress& address) const {
  return addresses(network) + address.str();
}

std::optional<ParsedKey> KeyLayout::parse(std::string_view key, std::string* error) const {
  if (error) error->clear();
  const std::string root = all();
  if (key.substr(0, root.size()) != root) return fail(error, "outside the prefix " + prefix_);
  std::string_view rest = key.substr(root.size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return fail(error, "not in nodes/, subnets/ or addresses/");
  std::string_view folder = rest.substr(0, slash);
  rest = rest.substr(slash + 1);
  ParsedKey parsed;
  if (folder == "nodes") {
    if (!valid_name(rest)) return fail(error, "not a node name");
    parsed.kind = ParsedKey::Kind::node;
    parsed.name = rest;
    return parsed;
  }
  if (folder != "subnets" && folder != "addresses") return fail(error, "not in nodes/, subnets/ or addresses/");
  slash = rest.find('/');
  if (slash == std::string_view::npos || !valid_name(rest.substr(0, slash))) return fail(error, "not a network name");
  parsed.network = rest.substr(0, slash);
  parsed.name = rest.substr(slash + 1);
  if (folder == "subnets") {
    parsed.kind = ParsedKey::Kind::subnet;
    if (!parse_subnet_key_part(parsed.name)) return fail(error, "not a subnet written as a.b.c.d-len");
  } else {
    parsed.kind = ParsedKey::Kind::address;
    auto ip = IpAddress::parse(parsed.name);
    if (!ip || ip->str() != parsed.name) return fail(error, "not an IP address");
  }
  return parsed;
}

}  // namespace topo::cluster
