#include "reconciler/graph/graph.hpp"

namespace topo::graph {

std::string to_string(LiveState s) {
  switch (s) {
    case LiveState::None: return "";
    case LiveState::Ok: return "ok";
    case LiveState::Missing: return "missing";
    case LiveState::Drift: return "drift";
    case LiveState::Extra: return "extra";
  }
  return "";
}

std::string to_string(NodeKind k) {
  switch (k) {
    case NodeKind::Host: return "host";
    case NodeKind::Network: return "network";
    case NodeKind::Container: return "container";
    case NodeKind::Interface: return "interface";
  }
  return "";
}

std::string to_string(EdgeKind k) {
  switch (k) {
    case EdgeKind::Attachment: return "attachment";
    case EdgeKind::Join: return "join";
    case EdgeKind::Link: return "link";
    case EdgeKind::Port: return "port";
    case EdgeKind::Parent: return "parent";
    case EdgeKind::Tunnel: return "tunnel";
    case EdgeKind::HostMode: return "host_mode";
  }
  return "";
}

std::string to_string(ClusterKind k) { return k == ClusterKind::Host ? "host" : "network"; }

}  // namespace topo::graph
