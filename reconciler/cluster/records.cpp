#include "reconciler/cluster/records.hpp"

#include <nlohmann/json.hpp>

#include "reconciler/cluster/keys.hpp"

namespace topo::cluster {
namespace {

using nlohmann::json;

// Reads a string field; sets *error and returns false when it is missing or
// not a string.
bool string_field(const json& j, const char* name, std::string& out, std::string* error, bool required = true) {
  auto it = j.find(name);
  if (it == j.end()) {
    if (!required) return true;
    *error = std::string("no \"") + name + "\"";
    return false;
  }
  if (!it->is_string()) {
    *error = std::string("\"") + name + "\" is not a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

std::optional<json> parse_object(std::string_view value, std::string* error) {
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  return j;
}

bool check_node_name(const std::string& node, std::string* error) {
  if (valid_name(node)) return true;
  *error = "\"node\" is not a node name";
  return false;
}

bool check_ip(const std::string& text, const char* field, std::string* error) {
  if (IpAddress::parse(text)) return true;
  *error = std::string("\"") + field + "\" is not an IP address";
  return false;
}

}  // namespace

std::string encode(const NodeRecord& n) {
  json macs = json::object();
  for (const auto& [network, mac] : n.vtep_macs) macs[network] = mac;
  return json{{"name", n.name}, {"address", n.address}, {"vtep_macs", macs}}.dump();
}

std::string encode(const SubnetLease& s) {
  return json{{"node", s.node}, {"address", s.address}, {"vtep_mac", s.vtep_mac}}.dump();
}

std::string encode(const AddressClaim& a) {
  return json{{"node", a.node}, {"container", a.container}, {"mac", a.mac}}.dump();
}

std::optional<NodeRecord> decode_node(std::string_view value, std::string* error) {
  auto j = parse_object(value, error);
  if (!j) return std::nullopt;
  NodeRecord n;
  if (!string_field(*j, "name", n.name, error) || !check_node_name(n.name, error)) return std::nullopt;
  if (!string_field(*j, "address", n.address, error) || !check_ip(n.address, "address", error)) return std::nullopt;
  auto macs = j->find("vtep_macs");
  if (macs != j->end()) {
    if (!macs->is_object()) {
      *error = "\"vtep_macs\" is not an object";
      return std::nullopt;
    }
    for (const auto& [network, mac] : macs->items()) {
      if (!valid_name(network) || !mac.is_string()) {
        *error = "\"vtep_macs\" holds something other than network: MAC";
        return std::nullopt;
      }
      n.vtep_macs[network] = mac.get<std::string>();
    }
  }
  return n;
}

std::optional<SubnetLease> decode_subnet(std::string_view value, std::string* error) {
  auto j = parse_object(value, error);
  if (!j) return std::nullopt;
  SubnetLease s;
  if (!string_field(*j, "node", s.node, error) || !check_node_name(s.node, error)) return std::nullopt;
  if (!string_field(*j, "address", s.address, error) || !check_ip(s.address, "address", error)) return std::nullopt;
  if (!string_field(*j, "vtep_mac", s.vtep_mac, error, /*required=*/false)) return std::nullopt;
  return s;
}

std::optional<AddressClaim> decode_address(std::string_view value, std::string* error) {
  auto j = parse_object(value, error);
  if (!j) return std::nullopt;
  AddressClaim a;
  if (!string_field(*j, "node", a.node, error) || !check_node_name(a.node, error)) return std::nullopt;
  if (!string_field(*j, "container", a.container, error)) return std::nullopt;
  if (!valid_name(a.container)) {
    *error = "\"container\" is not a container name";
    return std::nullopt;
  }
  if (!string_field(*j, "mac", a.mac, error, /*required=*/false)) return std::nullopt;
  return a;
}

}  // namespace topo::cluster
