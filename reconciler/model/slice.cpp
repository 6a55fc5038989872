#include "reconciler/model/slice.hpp"

#include <algorithm>
#include <set>

namespace topo {
namespace {

std::string host_names(const Desired& d) {
  std::string s;
  for (const auto& h : d.hosts) s += (s.empty() ? "" : ", ") + h.name;
  return s;
}

}  // namespace

const Host* find_host(const Desired& d, const std::string& name) {
  for (const auto& h : d.hosts)
    if (h.name == name) return &h;
  return nullptr;
}

std::vector<std::string> nodes_of_network(const Desired& d, const std::string& network) {
  std::set<std::string> nodes;
  for (const auto& a : d.attachments) {
    if (a.network != network) continue;
    const Container* c = d.container(a.container);
    if (c && !c->node.empty()) nodes.insert(c->node);
  }
  return {nodes.begin(), nodes.end()};
}

NodeSelection select_node(Desired whole, const std::string& node) {
  NodeSelection out;
  if (whole.hosts.empty()) {
    if (!node.empty())
      out.error = "--node " + node + " was given, but the manifests declare no hosts; "
                  "declare them under `hosts:` or leave --node out";
    else
      out.desired = std::move(whole);
    return out;
  }
  if (node.empty()) {
    out.error = "the manifests declare hosts (" + host_names(whole) +
                "): pass --node NAME to say which of them this machine is";
    return out;
  }
  if (!find_host(whole, node)) {
    out.error = "--node " + node + " is not one of the declared hosts (" + host_names(whole) + ")";
    return out;
  }

  auto all = std::make_shared<const Desired>(std::move(whole));
  Desired& s = out.desired;
  s.node = node;
  s.cluster = all;
  s.hosts = all->hosts;
  s.stacks = all->stacks;  // a node with nothing of a stack still removes what it had of it
  std::set<std::string> containers, networks;
  for (const auto& c : all->containers)
    if (c.node == node) {
      s.containers.push_back(c);
      containers.insert(c.name);
    }
  for (const auto& a : all->attachments)
    if (containers.count(a.container)) {
      s.attachments.push_back(a);
      networks.insert(a.network);
    }
  // A check runs where its `from` container lives.
  for (const auto& c : all->checks)
    if (containers.count(c.from)) s.checks.push_back(c);
  // Networks no container of this node attaches to are not built here.
  for (const auto& n : all->networks)
    if (networks.count(n.name)) s.networks.push_back(n);
  return out;
}

}  // namespace topo
