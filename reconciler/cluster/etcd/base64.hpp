#pragma once
// Standard base64 (RFC 4648, with padding): the JSON gateway carries every
// key and value, which are bytes in etcd's protobuf API, this way.
#include <optional>
#include <string>
#include <string_view>

namespace topo::etcd {

std::string base64_encode(std::string_view bytes);
// nullopt for text that is not padded standard base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace topo::etcd
