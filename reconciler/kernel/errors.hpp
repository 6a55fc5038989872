#pragma once
// Turning libnl and libc failures into topo::KernelError.
#include <cerrno>
#include <string>

#include <linux/netlink.h>

#include "reconciler/kernel_interface/kernel.hpp"

namespace topo::nl {

// libnl folds errno into its own NLE_* codes; map them back so callers can
// test for EEXIST/ENOENT/EBUSY like with any syscall. Accepts either sign.
int to_errno(int nle);

// The kernel's extended-ack text (NLMSGERR_ATTR_MSG) in an NLMSG_ERROR
// reply, when the socket asked for it (NETLINK_EXT_ACK) and the kernel sent
// it; "" otherwise. For every netlink reader: requests, dumps, nftables.
std::string ext_ack_text(const nlmsghdr* error_reply);
// The errno text, plus the kernel's extended-ack message when there is one.
std::string errno_text(int err, const std::string& kernel_msg = "");

[[noreturn]] void throw_errno(const std::string& op, const std::string& object, int err,
                              const std::string& kernel_msg = "");
// topo's own refusal (an object it does not own, a bad name), given an errno
// for callers that test it: no permission hint, the kernel was not asked.
[[noreturn]] void throw_refusal(const std::string& op, const std::string& object, int err, const std::string& why);
[[noreturn]] void throw_nl(const std::string& op, const std::string& object, int nle);

}  // namespace topo::nl
