#pragma once
// Owners of libcurl's handles, and the settings every connection to etcd
// shares (the request client's and the watch's).
#include <curl/curl.h>

#include <memory>

#include "reconciler/cluster/etcd/options.hpp"

namespace topo::etcd {

template <auto Free>
struct CurlDeleter {
  template <typename T>
  void operator()(T* p) const noexcept { Free(p); }
};

using EasyHandle = std::unique_ptr<CURL, CurlDeleter<curl_easy_cleanup>>;
using MultiHandle = std::unique_ptr<CURLM, CurlDeleter<curl_multi_cleanup>>;
using HeaderList = std::unique_ptr<curl_slist, CurlDeleter<curl_slist_free_all>>;

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
