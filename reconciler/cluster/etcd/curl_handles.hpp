#pragma once
// Owners of libcurl's handles, and the settings every connection to etcd
// shares (the request client's and the watch's).
#include <memory>

#include "reconciler/cluster/etcd/curl_library.hpp"
#include "reconciler/cluster/etcd/options.hpp"

namespace topo::etcd {

// Each frees through the loaded library (curl_library.hpp).
struct EasyDeleter {
  void operator()(CURL* p) const noexcept { curl().easy_cleanup(p); }
};
struct MultiDeleter {
  void operator()(CURLM* p) const noexcept { curl().multi_cleanup(p); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* p) const noexcept { curl().slist_free_all(p); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

// curl_global_init once per process, before the first handle (thread-safe:
// a function-local static); a new easy handle, never null (throws
// std::bad_alloc).
EasyHandle new_easy();
MultiHandle new_multi();

// "Content-Type: application/json", the one header every request carries.
HeaderList json_headers();

// TLS files, the connect timeout, TCP keepalive and no signals (the client
// runs on any thread), set on a fresh or reset handle.
void apply_connection_options(CURL* easy, const ClientOptions& options);

}  // namespace topo::etcd
