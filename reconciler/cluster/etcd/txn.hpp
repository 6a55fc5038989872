#pragma once
// etcd transactions: if every compare holds, run `success`, else `failure`,
// atomically at one revision. Built with the small factories below:
//
//   Txn t;
//   t.compare = {Compare::mod_revision(key, CompareOp::equal, seen)};
//   t.success = {TxnOp::put(key, value, lease)};
//   t.failure = {TxnOp::get(key)};
//   TxnResult r = client.txn(t);
#include <optional>
#include <string>
#include <vector>

#include "reconciler/cluster/etcd/types.hpp"

namespace topo::etcd {

enum class CompareOp { equal, greater, less, not_equal };
enum class CompareTarget { version, create_revision, mod_revision, value, lease };

struct Compare {
  std::string key;
  CompareTarget target = CompareTarget::value;
  CompareOp op = CompareOp::equal;
  int64_t number = 0;  // version, revisions and lease
  std::string value;   // CompareTarget::value

  static Compare value_is(std::string key, CompareOp op, std::string value);
  static Compare version(std::string key, CompareOp op, int64_t version);
  // create_revision == 0 holds exactly when the key does not exist.
  static Compare create_revision(std::string key, CompareOp op, Revision revision);
  static Compare mod_revision(std::string key, CompareOp op, Revision revision);
  static Compare lease(std::string key, CompareOp op, LeaseId lease);
};

struct TxnOp {
  enum class Kind { put, get, erase };
  Kind kind = Kind::get;
  std::string key;
  std::string range_end;  // empty: the key alone (see prefix_end)
  std::string value;      // put
  LeaseId lease = 0;      // put

  static TxnOp put(std::string key, std::string value, LeaseId lease = 0);
  static TxnOp get(std::string key);
  static TxnOp get_prefix(std::string prefix);
  static TxnOp erase(std::string key);
  static TxnOp erase_prefix(std::string prefix);
};

struct Txn {
  std::vector<Compare> compare;
  std::vector<TxnOp> success;
  std::vector<TxnOp> failure;
};

// One answer per op of the branch that ran, in order.
struct TxnOpResult {
  TxnOp::Kind kind = TxnOp::Kind::get;
  RangeResult range;     // get
  int64_t deleted = 0;   // erase
};

struct TxnResult {
  bool succeeded = false;  // the compares held and `success` ran
  Revision revision = 0;   // the store revision after the transaction
  std::vector<TxnOpResult> responses;
};

// The range end that makes [prefix, end) every key starting with prefix:
// the prefix with its last byte below 0xff incremented; "\0" (every key)
// for an empty prefix or one of 0xff bytes only, as etcdctl --prefix does.
std::string prefix_end(std::string_view prefix);

}  // namespace topo::etcd
