#pragma once
// etcd's protobuf messages as the JSON gateway spells them, both ways. Pure:
// no I/O, so the unit tests feed it the gateway's own answers.
//
// The gateway's mapping (grpc-gateway's jsonpb, as etcd 3.4 configures it):
// bytes are base64 strings; int64 fields are JSON strings ("revision":"7");
// fields at their zero value are left out (no "kvs" when nothing matched, no
// "succeeded" when a transaction failed, no "type" on a PUT event, no
// "value" for an empty value); enums are their names ("DELETE").
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "reconciler/cluster/etcd/txn.hpp"
#include "reconciler/cluster/etcd/types.hpp"

namespace topo::etcd::codec {

using nlohmann::json;

json range_request(std::string_view key, std::string_view range_end, Revision revision = 0, int64_t limit = 0);
json put_request(std::string_view key, std::string_view value, LeaseId lease);
json delete_request(std::string_view key, std::string_view range_end);
json txn_request(const Txn& txn);
json lease_id_request(LeaseId id);  // keepalive, revoke
json lease_grant_request(int64_t ttl_seconds, LeaseId id);
json lease_ttl_request(LeaseId id, bool keys);
json compaction_request(Revision revision, bool physical);
json watch_create_request(std::string_view key, std::string_view range_end, Revision start_revision, bool prev_kv,
                          bool progress_notify);

// Decoders. Each throws EtcdError(bad_response, operation, ...) naming the
// field that is missing or of the wrong type.
int64_t int64_field(const json& object, const char* field, const std::string& operation);
std::string bytes_field(const json& object, const char* field, const std::string& operation);
Revision header_revision(const json& answer, const std::string& operation);
KeyValue key_value(const json& kv, const std::string& operation);
RangeResult range_result(const json& answer, const std::string& operation);
int64_t deleted_count(const json& answer, const std::string& operation);
TxnResult txn_result(const json& answer, const std::string& operation);

}  // namespace topo::etcd::codec
