#include "reconciler/cluster/etcd/client.hpp"

#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/json_codec.hpp"

namespace topo::etcd {

Client::Client(ClientOptions options) : transport_(std::move(options)) {}

RangeResult Client::get(std::string_view key, Revision at) {
  const std::string op = "get " + std::string(key);
  return codec::range_result(transport_.call(op, "/v3/kv/range", codec::range_request(key, {}, at), Repeat::safe), op);
}

RangeResult Client::get_prefix(std::string_view prefix, Revision at, int64_t limit) {
  const std::string op = "get prefix " + std::string(prefix);
  return codec::range_result(
      transport_.call(op, "/v3/kv/range", codec::range_request(prefix, prefix_end(prefix), at, limit),
                      Repeat::safe), op);
}

Revision Client::put(std::string_view key, std::string_view value, LeaseId lease) {
  const std::string op = "put " + std::string(key);
  return codec::header_revision(transport_.call(op, "/v3/kv/put", codec::put_request(key, value, lease)), op);
}

int64_t Client::erase(std::string_view key) {
  const std::string op = "delete " + std::string(key);
  return codec::deleted_count(transport_.call(op, "/v3/kv/deleterange", codec::delete_request(key, {})), op);
}

int64_t Client::erase_prefix(std::string_view prefix) {
  const std::string op = "delete prefix " + std::string(prefix);
  return codec::deleted_count(
      transport_.call(op, "/v3/kv/deleterange", codec::delete_request(prefix, prefix_end(prefix))), op);
}

TxnResult Client::txn(const Txn& t) {
  const std::string op = "txn";
  return codec::txn_result(transport_.call(op, "/v3/kv/txn", codec::txn_request(t)), op);
}

CreateResult Client::create_if_absent(std::string_view key, std::string_view value, LeaseId lease) {
  Txn t;
  t.compare = {Compare::create_revision(std::string(key), CompareOp::equal, 0)};
  t.success = {TxnOp::put(std::string(key), std::string(value), lease)};
  t.failure = {TxnOp::get(std::string(key))};
  const std::string op = "create " + std::string(key);
  TxnResult r = codec::txn_result(transport_.call(op, "/v3/kv/txn", codec::txn_request(t)), op);
  CreateResult out;
  out.created = r.succeeded;
  out.revision = r.revision;
  if (r.succeeded) {
    // The put's answer carries no key-value; ours is known exactly.
    out.current = KeyValue{std::string(key), std::string(value), r.revision, r.revision, 1, lease};
    return out;
  }
  if (r.responses.size() != 1 || r.responses[0].range.kvs.size() != 1) {
    // The compare failed, so the key existed at that revision and the get
    // (same revision) must have found it.
    throw EtcdError(ErrorKind::bad_response, op, "the key exists but the transaction's get did not return it");
  }
  out.current = std::move(r.responses[0].range.kvs[0]);
  return out;
}

Lease Client::lease_grant(std::chrono::seconds ttl, LeaseId id) {
  const std::string op = "lease grant";
  auto answer = transport_.call(op, "/v3/lease/grant", codec::lease_grant_request(ttl.count(), id));
  return Lease{codec::int64_field(answer, "ID", op), codec::int64_field(answer, "TTL", op)};
}

int64_t Client::lease_keepalive_once(LeaseId id) {
  const std::string op = "lease keepalive " + std::to_string(id);
  // A streaming call in gRPC; the gateway takes one request and answers
  // {"result": {...}} (unwrapped by the transport). An expired lease is no
  // error there: its answer has no TTL.
  return codec::int64_field(transport_.call(op, "/v3/lease/keepalive", codec::lease_id_request(id), Repeat::safe), "TTL", op);
}

void Client::lease_revoke(LeaseId id) {
  const std::string op = "lease revoke " + std::to_string(id);
  transport_.call(op, "/v3/lease/revoke", codec::lease_id_request(id));
}

LeaseTimeToLive Client::lease_time_to_live(LeaseId id, bool with_keys) {
  const std::string op = "lease time-to-live " + std::to_string(id);
  auto answer = transport_.call(op, "/v3/lease/timetolive", codec::lease_ttl_request(id, with_keys), Repeat::safe);
  LeaseTimeToLive out;
  out.id = codec::int64_field(answer, "ID", op);
  out.ttl = codec::int64_field(answer, "TTL", op);
  out.granted_ttl = codec::int64_field(answer, "grantedTTL", op);
  if (auto it = answer.find("keys"); it != answer.end() && it->is_array())
    for (const auto& k : *it) {
      nlohmann::json holder = {{"k", k}};
      out.keys.push_back(codec::bytes_field(holder, "k", op));
    }
  return out;
}

void Client::compact(Revision revision, bool physical) {
  const std::string op = "compact " + std::to_string(revision);
  transport_.call(op, "/v3/kv/compaction", codec::compaction_request(revision, physical));
}

}  // namespace topo::etcd
