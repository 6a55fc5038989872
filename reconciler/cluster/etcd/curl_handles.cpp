#include "reconciler/cluster/etcd/curl_handles.hpp"

#include <new>
#include <stdexcept>
#include <string>

namespace topo::etcd {
namespace {

void global_init() {
  static const CURLcode rc = curl().global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("curl_global_init: ") + curl().easy_strerror(rc));
}

}  // namespace

EasyHandle new_easy() {
  global_init();
  EasyHandle h(curl().easy_init());
  if (!h) throw std::bad_alloc();
  return h;
}

MultiHandle new_multi() {
  global_init();
  MultiHandle h(curl().multi_init());
  if (!h) throw std::bad_alloc();
  return h;
}

HeaderList json_headers() {
  HeaderList list(curl().slist_append(nullptr, "Content-Type: application/json"));
  if (!list) throw std::bad_alloc();
  return list;
}

void apply_connection_options(CURL* easy, const ClientOptions& options) {
  // No SIGALRM for timeouts: the client may run on any thread.
  curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  // A member that vanishes without a RST (a cut cable, a paused VM) leaves a
  // silent socket; keepalive probes find it within about a minute, which
  // matters most for a watch, whose stream is silent while nothing changes.
  curl().easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl().easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 10L);
  curl().easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 5L);
  // etcd's URLs are http(s) only; never follow a redirect elsewhere.
  curl().easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  const TlsOptions& tls = options.tls;
  if (!tls.cacert.empty()) curl().easy_setopt(easy, CURLOPT_CAINFO, tls.cacert.c_str());
  if (!tls.cert.empty()) {
    curl().easy_setopt(easy, CURLOPT_SSLCERT, tls.cert.c_str());
    curl().easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!tls.key.empty()) {
    curl().easy_setopt(easy, CURLOPT_SSLKEY, tls.key.c_str());
    curl().easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (tls.insecure_skip_verify) {
    curl().easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl().easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

}  // namespace topo::etcd
