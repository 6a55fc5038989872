#include "reconciler/verify/probe_wire.hpp"

#include <nlohmann/json.hpp>

namespace topo::verify {

std::string probe_to_json(const Probe& p) {
  return nlohmann::json{{"kind", to_string(p.kind)}, {"netns", p.netns},     {"etc_dir", p.etc_dir},
                        {"address", p.address},      {"port", p.port},       {"name", p.name},
                        {"timeout_ms", p.timeout_ms}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Probe> probe_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    Probe p;
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == "icmp") p.kind = ProbeKind::Icmp;
    else if (kind == "tcp") p.kind = ProbeKind::Tcp;
    else if (kind == "udp") p.kind = ProbeKind::Udp;
    else if (kind == "resolve") p.kind = ProbeKind::Resolve;
    else return std::nullopt;
    p.netns = j.at("netns").get<std::string>();
    p.etc_dir = j.at("etc_dir").get<std::string>();
    p.address = j.at("address").get<std::string>();
    p.port = j.at("port").get<int>();
    p.name = j.at("name").get<std::string>();
    p.timeout_ms = j.at("timeout_ms").get<int>();
    return p;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string result_to_json(const ProbeResult& r) {
  return nlohmann::json{{"reached", r.reached},
                        {"addresses", r.addresses},
                        {"detail", r.detail},
                        {"elapsed_ms", r.elapsed_ms},
                        {"not_tried", r.not_tried}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<ProbeResult> result_from_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    ProbeResult r;
    r.reached = j.at("reached").get<bool>();
    r.addresses = j.at("addresses").get<std::vector<std::string>>();
    r.detail = j.at("detail").get<std::string>();
    r.elapsed_ms = j.at("elapsed_ms").get<int>();
    r.not_tried = j.at("not_tried").get<bool>();
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace topo::verify
