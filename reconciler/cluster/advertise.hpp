#pragma once
// --advertise-address's default (manifest.md "Cluster mode (etcd)"): the
// source address of this host's route towards etcd, the address the other
// nodes most likely reach it at, as flannel picks its public IP.
#include <string>

namespace topo::cluster {

// The local address the kernel would send from to `url`'s host (an
// http(s):// URL; a name is resolved). No packet is sent: a UDP socket is
// connected and asked its address. Throws std::runtime_error naming the URL
// when there is no route or the name does not resolve.
std::string source_address_towards(const std::string& url);

}  // namespace topo::cluster
