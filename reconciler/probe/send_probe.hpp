#pragma once
// The probes themselves, from whatever namespace the caller is in: an ICMP
// echo, a TCP connect, a UDP datagram (a reply, or the ICMP unreachable a
// closed port sends back), a name looked up through the C library (its
// hosts file, then resolv.conf's servers, as any program there would).
#include "reconciler/verify/probe.hpp"

namespace topo::probe {

verify::ProbeResult send_probe(const verify::Probe& p);

}  // namespace topo::probe
