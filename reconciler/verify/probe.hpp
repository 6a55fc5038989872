#pragma once
// One probe `topo verify` sends, and what came back: the unit a check is
// reduced to before it runs (reconciler/probe/ sends it from inside a
// namespace). Pure data.
#include <string>
#include <vector>

namespace topo::verify {

enum class ProbeKind { Icmp, Tcp, Udp, Resolve };
std::string to_string(ProbeKind k);

struct Probe {
  ProbeKind kind = ProbeKind::Icmp;
  // The namespace to probe from, by path; "" = the one topo runs in (a
  // container in network_mode host, a published port tried from the host).
  std::string netns;
  // Resolve: the folder whose files are bound over /etc first, as `ip netns
  // exec` binds /etc/netns/NAME ("" = the host's own /etc).
  std::string etc_dir;
  std::string address;  // icmp, tcp, udp
  int port = 0;         // tcp, udp
  std::string name;     // resolve
  int timeout_ms = 2000;
};

struct ProbeResult {
  // An echo reply, a connection, a UDP reply, or the name resolved.
  bool reached = false;
  std::vector<std::string> addresses;  // resolve: what the name resolved to
  std::string detail;                  // what came back, said as such: "connection refused"
  int elapsed_ms = 0;
  // The probe could not be tried (its namespace gone, no socket): the check
  // fails whatever it expects, as nothing was learnt.
  bool not_tried = false;
};

}  // namespace topo::verify
