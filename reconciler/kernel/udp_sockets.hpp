#pragma once
// The UDP sockets (and the listening TCP ones) of the calling thread's network namespace, from
// /proc/net/udp and /proc/net/udp6 (there is no netlink dump of UDP sockets
// in the libraries topo uses; sock_diag would need hand-rolled messages).
// The parser is pure, so tests feed it text.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::kops {

// One table as the kernel prints it: a header line, then one socket per
// line, "sl: LOCAL:PORT REMOTE:PORT st ... uid timeout inode ...", addresses
// in hex as the kernel's 32-bit words are laid out in memory. `family`: 4
// for udp, 6 for udp6. Lines that do not parse are skipped.
std::vector<UdpSocket> parse_proc_net_udp(const std::string& text, int family);

// Both tables; one that cannot be read (a kernel without IPv6) is empty.
std::vector<UdpSocket> read_udp_sockets();

// /proc/net/tcp and tcp6 print the same columns; only the listening sockets
// (st 0A) are kept: those are the ports a program has bound for others.
std::vector<UdpSocket> parse_proc_net_tcp_listeners(const std::string& text, int family);
std::vector<UdpSocket> read_tcp_listeners();

// net.ipv4.ip_local_port_range as the kernel prints it ("32768\t60999");
// nothing when it does not parse.
std::optional<std::pair<int, int>> parse_port_range(const std::string& text);
std::optional<std::pair<int, int>> read_ephemeral_port_range();

}  // namespace topo::kops
