#pragma once
// The create protocol of every link kind, written once: allocate and fill
// (the kind), put topo's group on it, create with NLM_F_EXCL; on EEXIST
// accept the link only if it is the one intended and converge it; else mark
// it with its alias, and delete it again if that fails.
#include <string>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/nl_handles.hpp"
#include "reconciler/kernel/socket_pool.hpp"

namespace topo::kops {

// What a kind's fill hands the protocol.
struct CreateRequest {
  nl::Link link;           // the RTM_NEWLINK object (a veth: its host end, the peer inside)
  nl_sock* via = nullptr;  // where it is sent: the namespace of its parent or peer
  Fd target;               // the namespace it is made in when not via's, open until sent
  // Made under a stand-in name and renamed to this one inside its namespace
  // once there: the kernel refuses a new link whose name the sending
  // socket's namespace holds (EEXIST), even when it is made elsewhere, so a
  // container's eth0 on the host's own eth0 needs it. "" = made as named.
  std::string final_name{};
};

void create_link(SocketPool& s, const LinkKind& kind, const Resource& desired);

// Deletes the link `name` in the socket's namespace, ignoring the answer:
// the undo of a create whose mark failed, already on an error path.
void delete_by_name(nl_sock* sock, const std::string& name);

}  // namespace topo::kops
