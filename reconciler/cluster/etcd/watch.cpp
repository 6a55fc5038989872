#include "reconciler/cluster/etcd/watch.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/json_codec.hpp"
#include "reconciler/cluster/etcd/json_stream.hpp"
#include "reconciler/cluster/etcd/transport.hpp"
#include "reconciler/cluster/etcd/txn.hpp"

namespace topo::etcd {

const char* to_string(WatchEnd end) {
  switch (end) {
    case WatchEnd::stopped: return "stopped";
    case WatchEnd::deadline: return "deadline";
    case WatchEnd::compacted: return "compacted";
    case WatchEnd::canceled: return "canceled";
    case WatchEnd::disconnected: return "disconnected";
    case WatchEnd::unreachable: return "unreachable";
  }
  return "?";
}

// One streaming POST: what the write callback needs and what it found.
struct Watch::Transfer {
  Watch* watch = nullptr;
  const Callback* on_batch = nullptr;
  CURL* easy = nullptr;
  JsonObjectStream stream;
  std::string error_body;  // a non-200 answer, kept to report it
  long http_status = 0;
  bool created = false;    // etcd confirmed the watch
  std::optional<WatchResult> end;      // set when an answer ends the watch
  std::exception_ptr callback_error;   // from on_batch, rethrown by run()

  // Handles one object of the stream; false ends the transfer.
  bool handle(const std::string& text) {
    const std::string op = "watch " + watch->watch_.key;
    nlohmann::json result;
    try {
      result = interpret_answer(op, 200, text);
    } catch (const EtcdError& e) {
      // A member that cannot serve: before the watch is in place, the next
      // member may (run() moves on); after, the caller resumes.
      WatchEnd kind = !e.unreachable() ? WatchEnd::canceled : created ? WatchEnd::disconnected : WatchEnd::unreachable;
      end = WatchResult{kind, watch->next_revision(), 0, e.what()};
      return false;
    }
    WatchBatch batch;
    batch.header_revision = codec::header_revision(result, op);
    batch.created = result.value("created", false);
    if (result.value("canceled", false)) {
      Revision compact = codec::int64_field(result, "compact_revision", op);
      std::string why = result.value("cancel_reason", std::string());
      if (compact > 0)
        end = WatchResult{WatchEnd::compacted, watch->next_revision(), compact,
                          "revision " + std::to_string(watch->next_revision()) + " is compacted (oldest kept: " +
                              std::to_string(compact) + ")"};
      else
        end = WatchResult{WatchEnd::canceled, watch->next_revision(), 0,
                          why.empty() ? "etcd canceled the watch" : why};
      return false;
    }
    if (auto it = result.find("events"); it != result.end() && it->is_array()) {
      for (const auto& e : *it) {
        WatchEvent ev;
        ev.type = e.value("type", std::string("PUT")) == "DELETE" ? WatchEvent::Type::erase : WatchEvent::Type::put;
        ev.kv = codec::key_value(e.value("kv", nlohmann::json::object()), op);
        if (auto p = e.find("prev_kv"); p != e.end() && p->is_object()) ev.prev = codec::key_value(*p, op);
        batch.events.push_back(std::move(ev));
      }
    }
    // Where a later run() resumes: after the last event delivered. A
    // creation with "from now" (no start revision) starts after the header
    // revision; a progress notice (no events, sent only once the watch has
    // caught up) says every change up to its revision was delivered.
    Revision next = watch->next_revision();
    if (!batch.events.empty()) next = std::max(next, batch.events.back().kv.mod_revision + 1);
    else if (batch.header_revision > 0 && (!batch.created || next == 0)) next = std::max(next, batch.header_revision + 1);
    watch->next_revision_.store(next);
    if (batch.created) created = true;
    try {
      (*on_batch)(batch);
    } catch (...) {
      callback_error = std::current_exception();
      return false;
    }
    return !watch->stop_.load();
  }

  static size_t on_data(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * n;
    if (t->http_status == 0) curl().easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->http_status);
    if (t->http_status != 200) {  // not a stream: an error answer, read whole
      if (t->error_body.size() < 4096) t->error_body.append(data, std::min<size_t>(bytes, 4096));
      return bytes;
    }
    try {
      for (const auto& text : t->stream.feed(std::string_view(data, bytes)))
        if (!t->handle(text)) return 0;  // CURLE_WRITE_ERROR ends the transfer
    } catch (const std::exception& e) {
      t->end = WatchResult{WatchEnd::disconnected, t->watch->next_revision(), 0, e.what()};
      return 0;
    }
    return bytes;
  }
};

Watch::Watch(ClientOptions options, WatchOptions watch)
    : options_(std::move(options)),
      watch_(std::move(watch)),
      multi_(new_multi()),
      headers_(json_headers()),
      next_revision_(watch_.start_revision) {
  if (options_.endpoints.empty()) throw std::invalid_argument("etcd watch: no endpoints given");
}

void Watch::stop() noexcept {
  stop_.store(true);
  curl().multi_wakeup(multi_.get());
}

WatchResult Watch::run(const Callback& on_batch, std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::string failures;
  for (size_t tried = 0; tried < options_.endpoints.size(); ++tried) {
    const size_t index = (current_ + tried) % options_.endpoints.size();
    WatchResult r = run_on(index, on_batch, deadline);
    if (r.end != WatchEnd::unreachable) {
      current_ = index;
      return r;
    }
    failures += (failures.empty() ? "" : "; ") + r.reason;
  }
  return WatchResult{WatchEnd::unreachable, next_revision(), 0, failures};
}

WatchResult Watch::run_on(size_t endpoint, const Callback& on_batch,
                          std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (stop_.load()) return WatchResult{WatchEnd::stopped, next_revision(), 0, {}};
  const std::string& base = options_.endpoints[endpoint];
  const std::string url = base + "/v3/watch";
  const std::string range_end = watch_.prefix ? prefix_end(watch_.key) : std::string();
  const std::string payload =
      codec::watch_create_request(watch_.key, range_end, next_revision(), watch_.prev_kv, false).dump();

  EasyHandle easy = new_easy();
  Transfer t;
  t.watch = this;
  t.on_batch = &on_batch;
  t.easy = easy.get();
  apply_connection_options(easy.get(), options_);
  curl().easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  curl().easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers_.get());
  curl().easy_setopt(easy.get(), CURLOPT_POSTFIELDS, payload.c_str());
  curl().easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  curl().easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &Transfer::on_data);
  curl().easy_setopt(easy.get(), CURLOPT_WRITEDATA, &t);

  // The easy handle is in the multi only for this transfer.
  struct Attached {
    CURLM* multi;
    CURL* easy;
    ~Attached() { curl().multi_remove_handle(multi, easy); }
  };
  if (CURLMcode mc = curl().multi_add_handle(multi_.get(), easy.get()); mc != CURLM_OK)
    throw std::runtime_error(std::string("curl_multi_add_handle: ") + curl().multi_strerror(mc));
  Attached attached{multi_.get(), easy.get()};

  std::optional<CURLcode> done;
  WatchResult out{WatchEnd::stopped, 0, 0, {}};
  // A member that takes the connection but never confirms the watch (hung,
  // or without quorum) is left for the next within the request timeout.
  const auto confirm_by = std::chrono::steady_clock::now() + options_.request_timeout;
  while (true) {
    int running = 0;
    curl().multi_perform(multi_.get(), &running);
    int queued = 0;
    while (CURLMsg* msg = curl().multi_info_read(multi_.get(), &queued))
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy.get()) done = msg->data.result;
    if (t.callback_error) std::rethrow_exception(t.callback_error);
    if (t.end) { out = *t.end; break; }
    if (stop_.load()) { out.end = WatchEnd::stopped; break; }
    if (done) {
      if (t.http_status != 0 && t.http_status != 200) {
        long status = t.http_status;
        std::string body = t.error_body;
        while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
        out = WatchResult{WatchEnd::canceled, 0, 0, base + ": HTTP " + std::to_string(status) + ": " + body};
      } else if (!t.created) {
        // Nothing was established; a watch has no side effects, so the
        // caller (run) may try the next endpoint.
        out = WatchResult{WatchEnd::unreachable, 0, 0, base + ": " + curl().easy_strerror(*done)};
      } else {
        std::string why = *done == CURLE_OK ? "the stream ended" : curl().easy_strerror(*done);
        out = WatchResult{WatchEnd::disconnected, 0, 0, base + ": " + why};
      }
      break;
    }
    auto wait = std::chrono::milliseconds(1000);
    if (!t.created) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(confirm_by - std::chrono::steady_clock::now());
      if (left <= std::chrono::milliseconds(0)) {
        out = WatchResult{WatchEnd::unreachable, 0, 0,
                          base + ": the watch was not confirmed within " +
                              std::to_string(options_.request_timeout.count()) + " ms"};
        break;
      }
      wait = std::min(wait, left + std::chrono::milliseconds(1));
    }
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left <= std::chrono::milliseconds(0)) { out.end = WatchEnd::deadline; break; }
      wait = std::min(wait, left + std::chrono::milliseconds(1));
    }
    curl().multi_poll(multi_.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
  }
  out.next_revision = next_revision();
  return out;
}

}  // namespace topo::etcd
