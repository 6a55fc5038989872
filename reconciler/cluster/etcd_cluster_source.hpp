#pragma once
// Cluster mode over etcd for the commands and the controller: the registry
// made from the manifests' needs, the slice cut with what etcd says, and how
// etcd is doing (watcher/cluster_source.hpp).
//
//   EtcdClusterSource etcd(client, {.prefix = "/topo"}, "a", "10.99.0.1");
//   Desired slice = etcd.slice(whole);     // apply, each full pass of watch
//   Desired look = etcd.preview(whole);    // plan, diff: writes nothing
//   every membership TTL / 3: etcd.keepalive();
//   topo destroy: etcd.release();
#include <memory>
#include <optional>
#include <string>

#include "reconciler/cluster/etcd/options.hpp"
#include "reconciler/cluster/registry.hpp"
#include "reconciler/model/cluster_facts.hpp"
#include "reconciler/watcher/cluster_source.hpp"

namespace topo::cluster {

class EtcdClusterSource : public watcher::ClusterSource {
 public:
  EtcdClusterSource(etcd::ClientOptions client, RegistryOptions options, std::string node, std::string address);

  // Joins the first time (and with a new registration when the manifests
  // give this node a new routed overlay), takes shares and addresses, reads
  // everybody's keys. etcd unreachable: the last facts again when there are
  // any, else a UserError ending "nothing was changed.".
  Desired slice(const Desired& whole) override;
  // The same reading only (cluster_facts.hpp preview_facts).
  Desired preview(const Desired& whole);
  watcher::ClusterHealth health() const override { return health_; }

  // Renews the leases; false when etcd did not answer (health says so).
  // `changed`: a lease had expired and was granted anew, or keys were lost:
  // a full pass should look again.
  bool keepalive(bool* changed);
  // Deletes this node's keys and revokes its leases (topo destroy).
  void release();

  const etcd::ClientOptions& client_options() const { return client_; }
  const RegistryOptions& registry_options() const { return options_; }

 private:
  Registry& registry_for(const Desired& whole);
  void answered(const ClusterFacts* facts);
  void failed(const std::string& what);

  etcd::ClientOptions client_;
  RegistryOptions options_;
  std::string node_, address_;
  std::unique_ptr<Registry> registry_;
  std::shared_ptr<const ClusterFacts> last_;
  watcher::ClusterHealth health_;
};

}  // namespace topo::cluster
