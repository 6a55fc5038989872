#pragma once
// How to reach etcd: the endpoints of `--etcd URL[,URL...]`, TLS spelled as
// etcdctl spells it, and the timeouts every request gets.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace topo::etcd {

// etcdctl's --cacert, --cert, --key and --insecure-skip-tls-verify. Empty
// strings leave libcurl's defaults (the system's CA store, no client cert).
struct TlsOptions {
  std::string cacert;  // PEM file of the CA that signed the members' certificates
  std::string cert;    // PEM client certificate, for --client-cert-auth clusters
  std::string key;     // its PEM private key
  bool insecure_skip_verify = false;
};

struct ClientOptions {
  // Client URLs, tried in order: "http://10.0.0.1:2379", "https://etcd-a:2379".
  // A request goes to the endpoint that answered last; when that one cannot
  // be connected to, the next ones are tried in turn.
  std::vector<std::string> endpoints;
  TlsOptions tls;
  // Per endpoint: how long a TCP (and TLS) connection may take before the
  // next endpoint is tried.
  std::chrono::milliseconds connect_timeout{2000};
  // Per request, from start to the whole answer (connecting included). Not
  // applied to a watch, which runs until it is stopped (see watch.hpp).
  std::chrono::milliseconds request_timeout{5000};
};

// "http://a:2379,https://b:2379" -> the two URLs, trailing '/' dropped.
// Throws std::invalid_argument naming the entry that is empty or is not an
// http:// or https:// URL.
std::vector<std::string> parse_endpoints(std::string_view comma_separated);

}  // namespace topo::etcd
