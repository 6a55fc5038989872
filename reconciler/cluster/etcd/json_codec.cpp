#include "reconciler/cluster/etcd/json_codec.hpp"

#include <charconv>

#include "reconciler/cluster/etcd/base64.hpp"
#include "reconciler/cluster/etcd/error.hpp"

namespace topo::etcd::codec {
namespace {

// int64 goes out as a string: a JSON number above 2^53 loses digits in many
// parsers, and lease ids are that large. The gateway reads both forms.
std::string num(int64_t n) { return std::to_string(n); }

[[noreturn]] void bad(const std::string& operation, const std::string& what) {
  throw EtcdError(ErrorKind::bad_response, operation, what);
}

const char* target_name(CompareTarget t) {
  switch (t) {
    case CompareTarget::version: return "VERSION";
    case CompareTarget::create_revision: return "CREATE";
    case CompareTarget::mod_revision: return "MOD";
    case CompareTarget::value: return "VALUE";
    case CompareTarget::lease: return "LEASE";
  }
  return "VALUE";
}

const char* op_name(CompareOp op) {
  switch (op) {
    case CompareOp::equal: return "EQUAL";
    case CompareOp::greater: return "GREATER";
    case CompareOp::less: return "LESS";
    case CompareOp::not_equal: return "NOT_EQUAL";
  }
  return "EQUAL";
}

json compare_json(const Compare& c) {
  json j = {{"key", base64_encode(c.key)}, {"target", target_name(c.target)}, {"result", op_name(c.op)}};
  switch (c.target) {
    case CompareTarget::version: j["version"] = num(c.number); break;
    case CompareTarget::create_revision: j["create_revision"] = num(c.number); break;
    case CompareTarget::mod_revision: j["mod_revision"] = num(c.number); break;
    case CompareTarget::value: j["value"] = base64_encode(c.value); break;
    case CompareTarget::lease: j["lease"] = num(c.number); break;
  }
  return j;
}

json op_json(const TxnOp& op) {
  switch (op.kind) {
    case TxnOp::Kind::put: return {{"request_put", put_request(op.key, op.value, op.lease)}};
    case TxnOp::Kind::get: return {{"request_range", range_request(op.key, op.range_end)}};
    case TxnOp::Kind::erase: return {{"request_delete_range", delete_request(op.key, op.range_end)}};
  }
  return json::object();
}

json ops_json(const std::vector<TxnOp>& ops) {
  json a = json::array();
  for (const auto& op : ops) a.push_back(op_json(op));
  return a;
}

}  // namespace

json range_request(std::string_view key, std::string_view range_end, Revision revision, int64_t limit) {
  json j = {{"key", base64_encode(key)}};
  if (!range_end.empty()) j["range_end"] = base64_encode(range_end);
  if (revision > 0) j["revision"] = num(revision);
  if (limit > 0) j["limit"] = num(limit);
  return j;
}

json put_request(std::string_view key, std::string_view value, LeaseId lease) {
  json j = {{"key", base64_encode(key)}, {"value", base64_encode(value)}};
  if (lease != 0) j["lease"] = num(lease);
  return j;
}

json delete_request(std::string_view key, std::string_view range_end) {
  json j = {{"key", base64_encode(key)}};
  if (!range_end.empty()) j["range_end"] = base64_encode(range_end);
  return j;
}

json txn_request(const Txn& txn) {
  json compares = json::array();
  for (const auto& c : txn.compare) compares.push_back(compare_json(c));
  return {{"compare", compares}, {"success", ops_json(txn.success)}, {"failure", ops_json(txn.failure)}};
}

json lease_id_request(LeaseId id) { return {{"ID", num(id)}}; }

json lease_grant_request(int64_t ttl_seconds, LeaseId id) {
  json j = {{"TTL", num(ttl_seconds)}};
  if (id != 0) j["ID"] = num(id);
  return j;
}

json lease_ttl_request(LeaseId id, bool keys) { return {{"ID", num(id)}, {"keys", keys}}; }

json compaction_request(Revision revision, bool physical) {
  return {{"revision", num(revision)}, {"physical", physical}};
}

json watch_create_request(std::string_view key, std::string_view range_end, Revision start_revision, bool prev_kv,
                          bool progress_notify) {
  json c = {{"key", base64_encode(key)}};
  if (!range_end.empty()) c["range_end"] = base64_encode(range_end);
  if (start_revision > 0) c["start_revision"] = num(start_revision);
  if (prev_kv) c["prev_kv"] = true;
  if (progress_notify) c["progress_notify"] = true;
  return {{"create_request", c}};
}

int64_t int64_field(const json& object, const char* field, const std::string& operation) {
  if (!object.is_object()) bad(operation, std::string("expected an object holding \"") + field + "\"");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return 0;  // the zero value is left out
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size()) return n;
  }
  bad(operation, std::string("field \"") + field + "\" is not an int64: " + it->dump());
}

std::string bytes_field(const json& object, const char* field, const std::string& operation) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) bad(operation, std::string("field \"") + field + "\" is not a string: " + it->dump());
  auto decoded = base64_decode(it->get_ref<const std::string&>());
  if (!decoded) bad(operation, std::string("field \"") + field + "\" is not base64: " + it->dump());
  return std::move(*decoded);
}

Revision header_revision(const json& answer, const std::string& operation) {
  auto it = answer.find("header");
  if (it == answer.end()) return 0;
  return int64_field(*it, "revision", operation);
}

KeyValue key_value(const json& kv, const std::string& operation) {
  if (!kv.is_object()) bad(operation, "a key-value is not an object: " + kv.dump());
  KeyValue out;
  out.key = bytes_field(kv, "key", operation);
  out.value = bytes_field(kv, "value", operation);
  out.create_revision = int64_field(kv, "create_revision", operation);
  out.mod_revision = int64_field(kv, "mod_revision", operation);
  out.version = int64_field(kv, "version", operation);
  out.lease = int64_field(kv, "lease", operation);
  return out;
}

RangeResult range_result(const json& answer, const std::string& operation) {
  RangeResult out;
  out.revision = header_revision(answer, operation);
  if (auto it = answer.find("kvs"); it != answer.end() && !it->is_null()) {
    if (!it->is_array()) bad(operation, "\"kvs\" is not an array");
    for (const auto& kv : *it) out.kvs.push_back(key_value(kv, operation));
  }
  out.count = int64_field(answer, "count", operation);
  out.more = answer.value("more", false);
  return out;
}

int64_t deleted_count(const json& answer, const std::string& operation) {
  return int64_field(answer, "deleted", operation);
}

TxnResult txn_result(const json& answer, const std::string& operation) {
  TxnResult out;
  out.revision = header_revision(answer, operation);
  out.succeeded = answer.value("succeeded", false);
  if (auto it = answer.find("responses"); it != answer.end() && !it->is_null()) {
    if (!it->is_array()) bad(operation, "\"responses\" is not an array");
    for (const auto& r : *it) {
      TxnOpResult one;
      if (auto p = r.find("response_range"); p != r.end()) {
        one.kind = TxnOp::Kind::get;
        one.range = range_result(*p, operation);
      } else if (auto d = r.find("response_delete_range"); d != r.end()) {
        one.kind = TxnOp::Kind::erase;
        one.deleted = deleted_count(*d, operation);
      } else if (r.contains("response_put")) {
        one.kind = TxnOp::Kind::put;
      } else {
        bad(operation, "a transaction response of an unknown kind: " + r.dump());
      }
      out.responses.push_back(std::move(one));
    }
  }
  return out;
}

}  // namespace topo::etcd::codec
