#include "reconciler/cluster/etcd/transport.hpp"

#include <stdexcept>

#include "reconciler/cluster/etcd/error.hpp"

namespace topo::etcd {
namespace {

size_t append_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::string shorten(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

}  // namespace

Transport::Transport(ClientOptions options)
    : options_(std::move(options)), easy_(new_easy()), headers_(json_headers()) {
  if (options_.endpoints.empty()) throw std::invalid_argument("etcd client: no endpoints given");
}

nlohmann::json Transport::call(const std::string& operation, std::string_view path, const nlohmann::json& request,
                               Repeat repeat) {
  const std::string payload = request.dump();
  std::string failures;
  const size_t first = current_;
  for (size_t tried = 0; tried < options_.endpoints.size(); ++tried) {
    const size_t index = (first + tried) % options_.endpoints.size();
    const std::string url = options_.endpoints[index] + std::string(path);
    std::string body;
    CURL* easy = easy_.get();
    curl().easy_reset(easy);  // keeps the connection cache, clears the options
    apply_connection_options(easy, options_);
    curl().easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl().easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    curl().easy_setopt(easy, CURLOPT_POSTFIELDS, payload.c_str());
    curl().easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
    curl().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
    curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
    curl().easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    const CURLcode rc = curl().easy_perform(easy);
    if (rc != CURLE_OK) {
      long sent = 0;
      curl().easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &sent);
      std::string what = options_.endpoints[index] + ": " + curl().easy_strerror(rc);
      // The next request starts after the member that failed.
      current_ = (index + 1) % options_.endpoints.size();
      if (sent > 0 && repeat == Repeat::unsafe)
        throw EtcdError(ErrorKind::unreachable, operation,
                        what + " (after the request was sent: it may have been applied)");
      failures += (failures.empty() ? "" : "; ") + what;
      continue;
    }
    current_ = index;
    long status = 0;
    curl().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    return interpret_answer(operation, status, body);
  }
  throw EtcdError(ErrorKind::unreachable, operation, failures);
}

void throw_etcd_error(const std::string& operation, const nlohmann::json& error, long http_status) {
  // A unary call's error says "code"; a stream's (inside {"error": ...})
  // says "grpc_code" and "http_code".
  int code = error.value("code", error.value("grpc_code", 0));
  if (http_status == 200 && error.contains("http_code") && error["http_code"].is_number_integer())
    http_status = error["http_code"].get<long>();
  std::string message = error.value("message", std::string());
  if (message.empty() && error.contains("error")) {
    const auto& e = error["error"];
    message = e.is_string() ? e.get<std::string>() : e.dump();
  }
  if (message.empty()) message = error.dump();
  // CANCELED: the gateway inside the member lost its connection to etcd
  // ("grpc: the client connection is closing" while the member shuts down);
  // this client never cancels a call itself.
  const bool cannot_serve =
      code == grpc_code::unavailable || code == grpc_code::deadline_exceeded || code == grpc_code::canceled;
  throw EtcdError(cannot_serve ? ErrorKind::unreachable : ErrorKind::refused, operation, message, code, http_status);
}

nlohmann::json interpret_answer(const std::string& operation, long http_status, const std::string& body) {
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object()) {
    if (http_status != 200)
      throw EtcdError(ErrorKind::refused, operation, "HTTP " + std::to_string(http_status) + ": " + shorten(body), 0,
                      http_status);
    throw EtcdError(ErrorKind::bad_response, operation, "not a JSON object: " + shorten(body), 0, http_status);
  }
  // A stream's message (keepalive, watch): {"result": {...}} or {"error": {...}}.
  if (auto it = answer.find("error"); it != answer.end() && it->is_object()) throw_etcd_error(operation, *it, http_status);
  if (http_status != 200 || answer.contains("error")) throw_etcd_error(operation, answer, http_status);
  if (auto it = answer.find("result"); it != answer.end() && it->is_object()) return std::move(*it);
  return answer;
}

}  // namespace topo::etcd
