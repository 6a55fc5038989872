#pragma once
// Owners of libnl handles: unique_ptr with stateless deleters, so every
// early return and exception path frees what it allocated.
#include <memory>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>

#include "reconciler/kernel/c_deleter.hpp"

namespace topo::nl {

using topo::Deleter;

using Socket = std::unique_ptr<nl_sock, Deleter<nl_socket_free>>;
using Cache = std::unique_ptr<nl_cache, Deleter<nl_cache_free>>;
using Link = std::unique_ptr<rtnl_link, Deleter<rtnl_link_put>>;
using Addr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr_put>>;
using Route = std::unique_ptr<rtnl_route, Deleter<rtnl_route_put>>;
using Address = std::unique_ptr<nl_addr, Deleter<nl_addr_put>>;
using Msg = std::unique_ptr<nl_msg, Deleter<nlmsg_free>>;
using Nexthop = std::unique_ptr<rtnl_nexthop, Deleter<rtnl_route_nh_free>>;
using Neigh = std::unique_ptr<rtnl_neigh, Deleter<rtnl_neigh_put>>;
using Callbacks = std::unique_ptr<nl_cb, Deleter<nl_cb_put>>;

}  // namespace topo::nl
