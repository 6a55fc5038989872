#pragma once
// The per-kind operations behind the netlink Kernel, one file each.
#include "reconciler/kernel/socket_pool.hpp"
#include "reconciler/resources/resource.hpp"

namespace topo::kops {

void create_namespace(SocketPool& s, const Resource& desired);
void update_namespace(SocketPool& s, const Resource& current, const Resource& desired);
void remove_namespace(SocketPool& s, const Resource& current);

// Links are created and updated through their kind (link_kinds/,
// link_create.hpp). Removing one is the same for every kind
// (link_remove.cpp): checks the mark, then deletes. ENOENT is fine.
void remove_link(SocketPool& s, const Resource& current);

// Forwarding entries on topo's VXLAN devices.
void create_fdb(SocketPool& s, const Resource& desired);
void remove_fdb(SocketPool& s, const Resource& current);

// Permanent neighbour entries on topo's VXLAN devices (neigh_ops.cpp).
void create_neighbour(SocketPool& s, const Resource& desired);
void update_neighbour(SocketPool& s, const Resource& current, const Resource& desired);
void remove_neighbour(SocketPool& s, const Resource& current);

void create_address(SocketPool& s, const Resource& desired);
void remove_address(SocketPool& s, const Resource& current);

void create_route(SocketPool& s, const Resource& desired);
void update_route(SocketPool& s, const Resource& current, const Resource& desired);
void remove_route(SocketPool& s, const Resource& current);

}  // namespace topo::kops
