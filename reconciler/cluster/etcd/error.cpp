#include "reconciler/cluster/etcd/error.hpp"

namespace topo::etcd {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::unreachable: return "unreachable";
    case ErrorKind::refused: return "refused";
    case ErrorKind::bad_response: return "bad response";
  }
  return "?";
}

EtcdError::EtcdError(ErrorKind kind, const std::string& operation, const std::string& detail, int grpc_code,
                     long http_status)
    : std::runtime_error("etcd " + operation + ": " + detail + (kind == ErrorKind::unreachable ? " (unreachable)" : "")),
      kind_(kind),
      detail_(detail),
      grpc_code_(grpc_code),
      http_status_(http_status) {}

bool EtcdError::compacted() const noexcept {
  return grpc_code_ == grpc_code::out_of_range && detail_.find("compacted") != std::string::npos;
}

}  // namespace topo::etcd
