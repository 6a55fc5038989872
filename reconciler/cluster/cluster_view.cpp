#include "reconciler/cluster/cluster_view.hpp"

#include <algorithm>

namespace topo::cluster {

void ClusterView::apply_put(const KeyLayout& layout, const etcd::KeyValue& kv) {
  revision = std::max(revision, kv.mod_revision);
  apply_erase(layout, kv.key);
  std::string error;
  auto parsed = layout.parse(kv.key, &error);
  if (!parsed) {
    skipped.push_back({kv.key, error});
    return;
  }
  switch (parsed->kind) {
    case ParsedKey::Kind::node: {
      auto n = decode_node(kv.value, &error);
      if (n && n->name != parsed->name) error = "the value names node " + n->name + ", the key " + parsed->name;
      if (!n || !error.empty()) break;
      n->lease = kv.lease;
      n->mod_revision = kv.mod_revision;
      nodes[n->name] = std::move(*n);
      return;
    }
    case ParsedKey::Kind::subnet: {
      auto s = decode_subnet(kv.value, &error);
      if (!s) break;
      s->network = parsed->network;
      s->subnet = *parse_subnet_key_part(parsed->name);  // parse() checked it
      s->lease = kv.lease;
      s->mod_revision = kv.mod_revision;
      subnets[kv.key] = std::move(*s);
      return;
    }
    case ParsedKey::Kind::address: {
      auto a = decode_address(kv.value, &error);
      if (!a) break;
      a->network = parsed->network;
      a->address = *IpAddress::parse(parsed->name);  // parse() checked it
      a->lease = kv.lease;
      a->mod_revision = kv.mod_revision;
      addresses[kv.key] = std::move(*a);
      return;
    }
  }
  skipped.push_back({kv.key, error});
}

void ClusterView::apply_erase(const KeyLayout& layout, std::string_view key) {
  const std::string k(key);
  subnets.erase(k);
  addresses.erase(k);
  std::erase_if(skipped, [&](const SkippedKey& s) { return s.key == k; });
  auto parsed = layout.parse(k);
  if (parsed && parsed->kind == ParsedKey::Kind::node) nodes.erase(parsed->name);
}

std::vector<const SubnetLease*> ClusterView::subnets_of(std::string_view network) const {
  std::vector<const SubnetLease*> out;
  for (const auto& [key, s] : subnets)
    if (s.network == network) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const SubnetLease* a, const SubnetLease* b) { return a->subnet < b->subnet; });
  return out;
}

const SubnetLease* ClusterView::subnet_of(std::string_view network, std::string_view node) const {
  for (const SubnetLease* s : subnets_of(network))
    if (s->node == node) return s;
  return nullptr;
}

std::vector<const AddressClaim*> ClusterView::addresses_of(std::string_view network) const {
  std::vector<const AddressClaim*> out;
  for (const auto& [key, a] : addresses)
    if (a.network == network) out.push_back(&a);
  return out;
}

std::vector<const AddressClaim*> ClusterView::claims_of(std::string_view network, std::string_view container) const {
  std::vector<const AddressClaim*> out;
  for (const AddressClaim* a : addresses_of(network))
    if (a->container == container) out.push_back(a);
  return out;
}

ClusterView decode_view(const KeyLayout& layout, const etcd::RangeResult& range) {
  ClusterView view;
  for (const etcd::KeyValue& kv : range.kvs) view.apply_put(layout, kv);
  view.revision = range.revision;
  return view;
}

}  // namespace topo::cluster
