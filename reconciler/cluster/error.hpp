#pragma once
// What the registry itself refuses, apart from etcd's own failures (those
// stay etcd::EtcdError, so a caller tells "etcd unreachable" by
// EtcdError::unreachable() whatever registry call it made).
#include <stdexcept>
#include <string>

namespace topo::cluster {

class ClusterError : public std::runtime_error {
 public:
  enum class Kind {
    // A name unsafe in a key, a bad --etcd-prefix, a subnet length outside
    // the range, a family mix-up: the caller's input, fix it and retry.
    invalid_argument,
    // No free subnet (lease_subnet) or address (claim_address) is left; the
    // message names the network and the range.
    exhausted,
    // A call that needs join() first.
    not_joined,
    // Another machine is registered under this node's name (a live node
    // key with another address): two machines with one --node would take
    // each other's keys.
    duplicate_node,
    // A static address of the manifests that etcd gives another member.
    address_taken,
  };
  ClusterError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

}  // namespace topo::cluster
