#pragma once
// A small etcd v3 client over etcd's JSON gRPC gateway (POST /v3/kv/range,
// /v3/kv/put, /v3/kv/deleterange, /v3/kv/txn, /v3/kv/compaction,
// /v3/lease/grant, /v3/lease/keepalive, /v3/lease/revoke,
// /v3/lease/timetolive), as served by etcd 3.4 and later. The watch is
// watch.hpp.
//
//   Client etcd({.endpoints = parse_endpoints("http://10.0.0.1:2379,http://10.0.0.2:2379")});
//   Lease lease = etcd.lease_grant(std::chrono::seconds(30));
//   CreateResult r = etcd.create_if_absent("/topo/leases/10.1.7.0-24", "node-a", lease.id);
//   if (!r.created) { ... r.current.value names the node that holds it ... }
//   etcd.lease_keepalive_once(lease.id);   // every ttl/3
//
// Every call blocks for at most options.request_timeout per endpoint tried
// and throws EtcdError (error.hpp) on failure: kind() unreachable means no
// member could answer (keep what runs, retry), refused means etcd said no.
// Reads, keepalives and time-to-live go on to the next endpoint whatever
// the failure; writes (put, delete, txn, create_if_absent, grant, revoke,
// compact) only when the connection could not be made, since one sent to a
// member that then went silent may have been applied (see transport.hpp).
//
// Not thread-safe: a Client holds one libcurl handle whose connection is kept
// open between requests. Give each thread its own Client; they are cheap.
#include <chrono>
#include <string>
#include <string_view>

#include "reconciler/cluster/etcd/options.hpp"
#include "reconciler/cluster/etcd/transport.hpp"
#include "reconciler/cluster/etcd/txn.hpp"
#include "reconciler/cluster/etcd/types.hpp"

namespace topo::etcd {

class Client {
 public:
  explicit Client(ClientOptions options);

  // One key: kvs holds it, or is empty when it is absent. `at` reads at an
  // older revision (0: the latest); a compacted one is refused
  // (EtcdError::compacted()).
  RangeResult get(std::string_view key, Revision at = 0);
  // Every key starting with prefix, in key order; limit 0: all of them.
  // Reading a whole prefix and watching it from result.revision + 1 misses
  // nothing and repeats nothing.
  RangeResult get_prefix(std::string_view prefix, Revision at = 0, int64_t limit = 0);

  // Sets key to value, attached to lease (0: none, the key stays until
  // deleted). Returns the store revision of the change.
  Revision put(std::string_view key, std::string_view value, LeaseId lease = 0);

  // Return how many keys went.
  int64_t erase(std::string_view key);
  int64_t erase_prefix(std::string_view prefix);

  // Creates key with value (attached to lease) only if it does not exist,
  // in one transaction: compare create_revision == 0, then put, else get.
  // Of several callers racing for one key exactly one gets created == true;
  // every caller gets the key as it stands (theirs or the winner's). This is
  // how a node takes a subnet lease.
  CreateResult create_if_absent(std::string_view key, std::string_view value, LeaseId lease = 0);

  TxnResult txn(const Txn& txn);

  // A lease of ttl (etcd may grant more: its minimum is about 1.5 times the
  // election timeout). id 0 lets etcd choose one.
  Lease lease_grant(std::chrono::seconds ttl, LeaseId id = 0);
  // Renews the lease once; returns the TTL it now has, in seconds. 0 means
  // the lease is gone (expired or revoked) and so are its keys: grant a new
  // lease and put them again.
  int64_t lease_keepalive_once(LeaseId id);
  // Ends the lease and deletes its keys at once. Refused (grpc not_found)
  // when the lease does not exist.
  void lease_revoke(LeaseId id);
  // ttl -1: the lease does not exist (expired, revoked or never granted).
  LeaseTimeToLive lease_time_to_live(LeaseId id, bool with_keys = false);

  // Drops the history before revision: a watch or read from an older one is
  // then refused as compacted. An operator's (and the tests') tool.
  void compact(Revision revision, bool physical = false);

  // The endpoint that answered last (the first one before any request).
  const std::string& endpoint() const { return transport_.endpoint(); }

 private:
  Transport transport_;
};

}  // namespace topo::etcd
