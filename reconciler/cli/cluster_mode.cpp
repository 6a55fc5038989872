#include "reconciler/cli/cluster_mode.hpp"

#include "reconciler/cluster/advertise.hpp"
#include "reconciler/pipeline/pipeline.hpp"

namespace topo::cli {

std::shared_ptr<cluster::EtcdClusterSource> open_cluster(const Options& o) {
  if (o.node.empty()) throw UserError({"--etcd needs --node NAME: this machine's name in the cluster"});
  etcd::ClientOptions client;
  try {
    client.endpoints = etcd::parse_endpoints(o.etcd);
  } catch (const std::invalid_argument& e) {
    throw UserError({std::string("--etcd: ") + e.what()});
  }
  client.tls.cacert = o.etcd_cacert;
  client.tls.cert = o.etcd_cert;
  client.tls.key = o.etcd_key;
  std::string address = o.advertise_address;
  try {
    if (address.empty()) address = cluster::source_address_towards(client.endpoints.front());
  } catch (const std::exception& e) {
    throw UserError({e.what()});
  }
  cluster::RegistryOptions options;
  options.prefix = o.etcd_prefix;
  options.membership_ttl = std::chrono::seconds(o.node_ttl_seconds);
  return std::make_shared<cluster::EtcdClusterSource>(client, options, o.node, address);
}

Desired load_cluster_slice(const Options& o, bool take) {
  auto source = open_cluster(o);
  const Desired whole =
      load_to_converge(o.paths, o.stack.empty() ? std::string(kDefaultStack) : o.stack, /*cluster=*/true);
  return take ? source->slice(whole) : source->preview(whole);
}

void release_cluster_node(const Options& o) {
  try {
    open_cluster(o)->release();
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw UserError({"cluster mode: the kernel side is destroyed, but node " + o.node +
                     "'s keys could not be released: " + e.what() + "; run topo destroy again with --etcd"});
  }
}

}  // namespace topo::cli
