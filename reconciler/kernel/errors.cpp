#include "reconciler/kernel/errors.hpp"

#include <cstdlib>
#include <cstring>

#include <netlink/errno.h>

namespace topo::nl {

int to_errno(int nle) {
  switch (std::abs(nle)) {
    case NLE_SUCCESS: return 0;
    case NLE_INTR: return EINTR;
    case NLE_BAD_SOCK: return EBADF;
    case NLE_AGAIN: return EAGAIN;
    case NLE_NOMEM: return ENOMEM;
    case NLE_EXIST: return EEXIST;
    case NLE_INVAL: return EINVAL;
    case NLE_RANGE: return ERANGE;
    case NLE_MSGSIZE: return EMSGSIZE;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_NOADDR: return EADDRNOTAVAIL;
    case NLE_BUSY: return EBUSY;
    case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
    case NLE_NOACCESS: return EACCES;
    case NLE_PERM: return EPERM;
    case NLE_NODEV: return ENODEV;
    // An interrupted dump is worth repeating, like EINTR.
    case NLE_DUMP_INTR: return EINTR;
    default: return EIO;
  }
}

std::string ext_ack_text(const nlmsghdr* hdr) {
  if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || hdr->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr)) return {};
  const auto* e = reinterpret_cast<const nlmsgerr*>(reinterpret_cast<const char*>(hdr) + NLMSG_HDRLEN);
  size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if (!(hdr->nlmsg_flags & NLM_F_CAPPED)) offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
  if (offset >= hdr->nlmsg_len) return {};
  const auto* base = reinterpret_cast<const char*>(hdr);
  int remaining = static_cast<int>(hdr->nlmsg_len - NLMSG_ALIGN(offset));
  const auto* attr = reinterpret_cast<const nlattr*>(base + NLMSG_ALIGN(offset));
  for (; remaining >= static_cast<int>(sizeof(nlattr)) && attr->nla_len >= sizeof(nlattr) &&
         attr->nla_len <= remaining;
       remaining -= NLA_ALIGN(attr->nla_len),
       attr = reinterpret_cast<const nlattr*>(reinterpret_cast<const char*>(attr) +
                                              NLA_ALIGN(attr->nla_len))) {
    if ((attr->nla_type & NLA_TYPE_MASK) != NLMSGERR_ATTR_MSG) continue;
    const char* text = reinterpret_cast<const char*>(attr) + NLA_HDRLEN;
    return std::string(text, strnlen(text, attr->nla_len - NLA_HDRLEN));
  }
  return {};
}

std::string errno_text(int err, const std::string& kernel_msg) {
  std::string text = std::strerror(err);
  if (!kernel_msg.empty()) text += " (" + kernel_msg + ")";
  return text + permission_hint(err);
}

void throw_errno(const std::string& op, const std::string& object, int err,
                 const std::string& kernel_msg) {
  throw KernelError(op, object, err, errno_text(err, kernel_msg));
}

void throw_refusal(const std::string& op, const std::string& object, int err, const std::string& why) {
  throw KernelError(op, object, err, std::string(std::strerror(err)) + " (" + why + ")");
}

void throw_nl(const std::string& op, const std::string& object, int nle) {
  const int err = to_errno(nle);
  throw KernelError(op, object, err,
                    std::string(std::strerror(err)) + " [libnl: " + nl_geterror(std::abs(nle)) + "]" +
                        permission_hint(err));
}

}  // namespace topo::nl
