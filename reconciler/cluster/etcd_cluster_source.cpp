#include "reconciler/cluster/etcd_cluster_source.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "reconciler/cluster/cluster_facts.hpp"
#include "reconciler/cluster/error.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/model/cluster_slice.hpp"
#include "reconciler/pipeline/pipeline.hpp"

namespace topo::cluster {
namespace {

int64_t now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Desired cut(Desired whole, std::shared_ptr<const ClusterFacts> facts) {
  NodeSelection sel = select_cluster_node(std::move(whole), std::move(facts));
  for (const std::string& line : sel.ignored) spdlog::warn("cluster mode: {}", line);
  if (!sel.error.empty()) throw UserError({sel.error, "nothing was changed."});
  return std::move(sel.desired);
}

}  // namespace

EtcdClusterSource::EtcdClusterSource(etcd::ClientOptions client, RegistryOptions options, std::string node,
                                     std::string address)
    : client_(std::move(client)), options_(std::move(options)), node_(std::move(node)), address_(std::move(address)) {
  health_.enabled = true;
}

Registry& EtcdClusterSource::registry_for(const Desired& whole) {
  NodeInfo me = node_info(node_, address_, whole);
  if (registry_ && registry_->me().vtep_macs != me.vtep_macs) {
    // A routed overlay came or went: the node key says so at once.
    if (registry_->membership_lease() != 0) registry_->update_node(me);
    else registry_.reset();
  }
  if (!registry_) {
    try {
      registry_ = std::make_unique<Registry>(client_, options_, std::move(me));
    } catch (const ClusterError& e) {
      throw UserError({std::string("cluster mode: ") + e.what(), "nothing was changed."});
    }
  }
  return *registry_;
}

void EtcdClusterSource::answered(const ClusterFacts* facts) {
  if (!health_.reachable && health_.unreachable_since_unix_ms != 0) spdlog::info("cluster mode: etcd answers again");
  health_.reachable = true;
  health_.error.clear();
  health_.unreachable_since_unix_ms = 0;
  if (facts) {
    health_.nodes = facts->nodes.size();
    health_.revision = facts->revision;
  }
}

void EtcdClusterSource::failed(const std::string& what) {
  if (health_.reachable || health_.unreachable_since_unix_ms == 0) health_.unreachable_since_unix_ms = now_unix_ms();
  health_.reachable = false;
  health_.error = what;
}

Desired EtcdClusterSource::slice(const Desired& whole) {
  Registry& registry = registry_for(whole);
  try {
    last_ = take_facts(registry, whole);
    answered(last_.get());
  } catch (const etcd::EtcdError& e) {
    failed(e.what());
    if (!last_) throw UserError({std::string("cluster mode: ") + e.what(), "nothing was changed."});
    spdlog::warn("cluster mode: {}; keeping what etcd said last (revision {})", e.what(), last_->revision);
  } catch (const ClusterError& e) {
    answered(nullptr);
    throw UserError({std::string("cluster mode: ") + e.what(), "nothing was changed."});
  }
  return cut(whole, last_);
}

Desired EtcdClusterSource::preview(const Desired& whole) {
  Registry& registry = registry_for(whole);
  std::shared_ptr<const ClusterFacts> facts;
  try {
    facts = preview_facts(registry.read(), registry.me(), whole);
    answered(facts.get());
  } catch (const etcd::EtcdError& e) {
    failed(e.what());
    throw UserError({std::string("cluster mode: ") + e.what(), "nothing was changed."});
  } catch (const ClusterError& e) {
    throw UserError({std::string("cluster mode: ") + e.what(), "nothing was changed."});
  }
  return cut(whole, std::move(facts));
}

bool EtcdClusterSource::keepalive(bool* changed) {
  *changed = false;
  if (!registry_ || registry_->membership_lease() == 0) return true;  // nothing to keep yet
  try {
    const KeepaliveResult r = registry_->keepalive();
    *changed = r.rejoined_membership || r.rejoined_reservation || !r.lost_subnets.empty() || !r.lost_addresses.empty();
    if (*changed)
      spdlog::warn("cluster mode: a lease had expired (node key {}, reservations {}); registered again",
                   r.rejoined_membership ? "renewed" : "kept", r.rejoined_reservation ? "renewed" : "kept");
    answered(nullptr);
    return true;
  } catch (const std::exception& e) {
    failed(e.what());
    return false;
  }
}

void EtcdClusterSource::release() {
  Registry& registry = registry_for(Desired{});
  if (registry.membership_lease() == 0) registry.join();  // finds this node's leases again
  const ReleaseResult r = registry.release_node();
  spdlog::info("cluster mode: node {} left etcd ({} key(s) released)", node_, r.deleted);
}

}  // namespace topo::cluster
