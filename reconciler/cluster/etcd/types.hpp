#pragma once
// What the client hands back, in etcd's own terms. Keys and values are raw
// bytes in std::string (the base64 of the wire is undone); revisions, versions
// and lease ids are int64, as etcd's API has them (the gateway sends them as
// JSON strings).
#include <cstdint>
#include <string>
#include <vector>

namespace topo::etcd {

using Revision = int64_t;
using LeaseId = int64_t;  // 0: no lease

struct KeyValue {
  std::string key;
  std::string value;
  Revision create_revision = 0;  // the revision that created the key (0: absent)
  Revision mod_revision = 0;     // the revision of its last change
  int64_t version = 0;           // changes since it was created (1 after a create)
  LeaseId lease = 0;             // the lease it is attached to
  bool operator==(const KeyValue&) const = default;
};

// A read: the keys found, and the store revision the read saw (the header's
// revision), from which a watch continues without a gap.
struct RangeResult {
  Revision revision = 0;
  std::vector<KeyValue> kvs;
  int64_t count = 0;   // keys in the range (more than kvs.size() with a limit)
  bool more = false;   // a limit cut the answer
};

struct Lease {
  LeaseId id = 0;
  int64_t ttl = 0;  // seconds
};

struct LeaseTimeToLive {
  LeaseId id = 0;
  int64_t ttl = -1;         // seconds left; -1: expired or never granted
  int64_t granted_ttl = 0;  // as granted
  std::vector<std::string> keys;  // attached keys, when asked for
};

// The answer of create_if_absent: whether this call created the key, and the
// key as it now is (ours, or the one that was there first).
struct CreateResult {
  bool created = false;
  KeyValue current;
  Revision revision = 0;  // the store revision after the transaction
};

}  // namespace topo::etcd
