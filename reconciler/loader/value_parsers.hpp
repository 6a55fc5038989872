#pragma once
// The small string syntaxes inside manifest values: published ports
// ("127.0.0.1:8080:80/udp"), extra hosts ("name:ip"), links ("target[:alias]").
// Each returns the parsed value or says what is wrong.
#include <optional>
#include <string>

#include "reconciler/model/desired.hpp"

namespace topo::loader {

template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;  // set when value is empty
};

Parsed<PortMapping> parse_port_spec(const std::string& text);

// Split on the first ':' so that IPv6 addresses stay whole ("db:fd00::5").
Parsed<ExtraHost> parse_extra_host(const std::string& text);

Parsed<ContainerLink> parse_link(const std::string& text);

// 1..65535, decimal only.
std::optional<int> parse_port_number(const std::string& text);

}  // namespace topo::loader
