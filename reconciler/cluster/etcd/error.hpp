#pragma once
// The one exception type of the etcd client. What matters to a caller is
// which of three things went wrong, because each asks for a different
// reaction: etcd could not be asked (keep what runs, retry later), etcd
// answered no (a bug or a lost race: act on it), or the answer made no sense.
#include <stdexcept>
#include <string>

namespace topo::etcd {

enum class ErrorKind {
  // No endpoint answered: connection refused or timed out, the stream cut,
  // or the member answered that it cannot serve now (gRPC UNAVAILABLE or
  // DEADLINE_EXCEEDED: no leader, a request timed out; CANCELED: the
  // member's gateway lost its own connection to etcd, as when the member
  // shuts down, since this client never cancels a call itself). The
  // cluster-mode controller keeps the data plane as it is and retries.
  // A request that failed this way after it was sent may have been applied.
  unreachable,
  // etcd judged the request and said no: a lease not found, a compacted
  // revision, an invalid argument. grpc_code() and the message say which.
  refused,
  // An answer that is not what etcd's JSON gateway sends (not JSON, a field
  // of the wrong type): a proxy in the way or a server that is not etcd.
  bad_response,
};

const char* to_string(ErrorKind kind);

// gRPC status codes the callers test (google.golang.org/grpc/codes).
namespace grpc_code {
inline constexpr int canceled = 1;
inline constexpr int invalid_argument = 3;
inline constexpr int deadline_exceeded = 4;
inline constexpr int not_found = 5;
inline constexpr int failed_precondition = 9;
inline constexpr int out_of_range = 11;  // compacted or future revision
inline constexpr int unavailable = 14;
}  // namespace grpc_code

class EtcdError : public std::runtime_error {
 public:
  // what(): "etcd <operation>: <detail>", e.g. "etcd put /v3/kv/put:
  // http://127.0.0.1:2379: Couldn't connect to server".
  EtcdError(ErrorKind kind, const std::string& operation, const std::string& detail, int grpc_code = 0,
            long http_status = 0);

  ErrorKind kind() const noexcept { return kind_; }
  bool unreachable() const noexcept { return kind_ == ErrorKind::unreachable; }
  // etcd's gRPC status code when etcd answered with one, else 0.
  int grpc_code() const noexcept { return grpc_code_; }
  // The HTTP status of the answer, 0 when there was none.
  long http_status() const noexcept { return http_status_; }
  // etcd's own message ("etcdserver: requested lease not found"), or the
  // transport's text when there was no answer.
  const std::string& detail() const noexcept { return detail_; }
  // The revision asked for has been compacted away: resync from a full read.
  bool compacted() const noexcept;

 private:
  ErrorKind kind_;
  std::string detail_;
  int grpc_code_;
  long http_status_;
};

}  // namespace topo::etcd
