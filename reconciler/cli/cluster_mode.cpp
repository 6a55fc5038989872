#include "reconciler/cli/cluster_mode.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <sstream>
#include <utility>

#include "reconciler/cluster/advertise.hpp"
#include "reconciler/cluster/cluster_view.hpp"
#include "reconciler/cluster/etcd/client.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/pipeline/pipeline.hpp"

namespace topo::cli {
namespace {

etcd::ClientOptions client_options(const Options& o) {
  etcd::ClientOptions client;
  try {
    client.endpoints = etcd::parse_endpoints(o.etcd);
  } catch (const std::invalid_argument& e) {
    throw UserError({std::string("--etcd: ") + e.what()});
  }
  client.tls.cacert = o.etcd_cacert;
  client.tls.cert = o.etcd_cert;
  client.tls.key = o.etcd_key;
  // A mistake here would look like etcd being away, retried for ever.
  if (o.etcd_cert.empty() != o.etcd_key.empty())
    throw UserError({"--etcd-cert and --etcd-key go together (a client certificate and its key)"});
  for (const auto& [flag, file] : {std::pair{"--etcd-cacert", o.etcd_cacert}, std::pair{"--etcd-cert", o.etcd_cert},
                                   std::pair{"--etcd-key", o.etcd_key}})
    if (!file.empty() && ::access(file.c_str(), R_OK) != 0)
      throw UserError({std::string(flag) + " " + file + ": cannot be read"});
  return client;
}

}  // namespace

std::shared_ptr<cluster::EtcdClusterSource> open_cluster(const Options& o) {
  if (o.node.empty()) throw UserError({"--etcd needs --node NAME: this machine's name in the cluster"});
  const etcd::ClientOptions client = client_options(o);
  std::string address = o.advertise_address;
  try {
    if (address.empty()) address = cluster::source_address_towards(client.endpoints.front());
  } catch (const std::exception& e) {
    throw UserError({e.what()});
  }
  // The other nodes send to it: as the loader's rule for `hosts:` addresses.
  const std::optional<IpAddress> parsed = IpAddress::parse(address);
  std::string problem;
  if (!parsed) problem = "is not an IP address";
  else if (parsed->is_unspecified()) problem = "is the unspecified address";
  else if (parsed->is_loopback()) problem = "is a loopback address, which other nodes cannot reach";
  else if (parsed->is_multicast() || parsed->is_limited_broadcast()) problem = "is not a unicast address";
  if (!problem.empty())
    throw UserError({(o.advertise_address.empty() ? "--advertise-address (taken from the route to etcd) " +
                                                        address
                                                  : "--advertise-address " + address) +
                         " " + problem + "; give this node's address on the network that joins the nodes",
                     "nothing was changed."});
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

cluster::ClusterView read_cluster(const Options& o) {
  try {
    const cluster::KeyLayout layout(o.etcd_prefix);
    etcd::Client client(client_options(o));
    return cluster::decode_view(layout, client.get_prefix(layout.all()));
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw UserError({std::string("cluster mode: ") + e.what() + " (--etcd " + o.etcd + ")", "nothing was changed."});
  }
}

std::string cluster_overview(const Options& o, bool json) {
  const cluster::ClusterView view = read_cluster(o);
  if (json) {
    nlohmann::json j{{"revision", view.revision}, {"nodes", nlohmann::json::array()}, {"subnets", nlohmann::json::array()},
                     {"addresses", nlohmann::json::array()}};
    for (const auto& [name, n] : view.nodes) j["nodes"].push_back({{"name", name}, {"address", n.address}});
    for (const auto& [key, s] : view.subnets)
      j["subnets"].push_back({{"network", s.network}, {"subnet", s.subnet.str()}, {"node", s.node},
                              {"node_up", view.has_node(s.node)}});
    for (const auto& [key, a] : view.addresses)
      j["addresses"].push_back(
          {{"network", a.network}, {"address", a.address.str()}, {"node", a.node}, {"container", a.container}});
    j["skipped"] = nlohmann::json::array();
    for (const auto& s : view.skipped) j["skipped"].push_back({{"key", s.key}, {"reason", s.reason}});
    return j.dump();
  }
  std::ostringstream out;
  out << "Cluster (etcd revision " << view.revision << "):\n";
  for (const auto& [name, n] : view.nodes) out << "  node " << name << " " << n.address << "\n";
  for (const auto& [key, s] : view.subnets)
    out << "  subnet " << s.network << " " << s.subnet.str() << " node " << s.node
        << (view.has_node(s.node) ? "" : " (down, kept for it)") << "\n";
  for (const auto& [key, a] : view.addresses)
    out << "  address " << a.network << " " << a.address.str() << " " << a.container << " on " << a.node << "\n";
  for (const auto& s : view.skipped) out << "  not topo's, skipped: " << s.key << " (" << s.reason << ")\n";
  return out.str();
}

}  // namespace topo::cli
