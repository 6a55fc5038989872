#pragma once
// Owners of libnftnl/libmnl handles: unique_ptr with stateless deleters.
#include <memory>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "reconciler/kernel/c_deleter.hpp"

namespace topo::nft {

using topo::Deleter;

using Table = std::unique_ptr<nftnl_table, Deleter<nftnl_table_free>>;
using Chain = std::unique_ptr<nftnl_chain, Deleter<nftnl_chain_free>>;
using Rule = std::unique_ptr<nftnl_rule, Deleter<nftnl_rule_free>>;
using Expr = std::unique_ptr<nftnl_expr, Deleter<nftnl_expr_free>>;
using Udata = std::unique_ptr<nftnl_udata_buf, Deleter<nftnl_udata_buf_free>>;
using Socket = std::unique_ptr<mnl_socket, Deleter<mnl_socket_close>>;

}  // namespace topo::nft
