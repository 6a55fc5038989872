#pragma once
// One JSON request, one JSON answer: a POST to an etcd member's gateway with
// failover between the endpoints. Used by Client; the watch has its own
// (streaming) transfer in watch.cpp.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "reconciler/cluster/etcd/curl_handles.hpp"
#include "reconciler/cluster/etcd/options.hpp"

namespace topo::etcd {

// Whether a request may be sent again to another member after it may have
// reached one: a read or a lease renewal may, a write may not (it could
// apply twice, or report a lost race that it won).
enum class Repeat { unsafe, safe };

class Transport {
 public:
  // Throws std::invalid_argument when options.endpoints is empty.
  explicit Transport(ClientOptions options);

  // POSTs request to path ("/v3/kv/put") and returns the answer's JSON.
  // Starts at the endpoint that answered last and moves on to the next when
  // a connection could not be made (nothing was sent, so nothing can have
  // been applied). A failure after the request was sent (a member that
  // accepts connections but does not answer within request_timeout, a
  // connection cut mid-answer) moves on too when repeat is safe; for an
  // unsafe request it is reported at once, as unreachable, since a put or a
  // transaction might have been applied and the caller knows whether doing
  // it again is right. Either way the next request starts at the member
  // after the one that failed, so a hung member is not asked first forever.
  // Throws EtcdError: unreachable (no answer), refused (etcd's error, with
  // its gRPC code), bad_response.
  nlohmann::json call(const std::string& operation, std::string_view path, const nlohmann::json& request,
                      Repeat repeat = Repeat::unsafe);

  // The endpoint the next request goes to first: the one that answered last.
  const std::string& endpoint() const { return options_.endpoints[current_]; }
  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
  EasyHandle easy_;  // kept across requests: its connection is reused
  HeaderList headers_;
  size_t current_ = 0;
};

// The answer of an HTTP exchange turned into JSON or EtcdError; pure, and
// shared with the watch, whose stream can carry the same error objects.
// A stream message ({"result": {...}}) is unwrapped.
nlohmann::json interpret_answer(const std::string& operation, long http_status, const std::string& body);

// etcd's error object ({"error": ..., "code": N, "message": ...}) as the
// exception to throw: UNAVAILABLE, DEADLINE_EXCEEDED and CANCELED (no
// leader, the member timed out or is shutting down) count as unreachable,
// every other code as refused.
[[noreturn]] void throw_etcd_error(const std::string& operation, const nlohmann::json& error, long http_status);

}  // namespace topo::etcd
