// nl::ext_ack_text (kernel/errors.hpp), the one reader of the kernel's
// extended-ack text for requests, dumps and nftables: error replies built
// in memory as the kernel sends them, capped or with the request echoed,
// and the ones that carry no text.
#include <linux/netlink.h>

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reconciler/kernel/errors.hpp"

namespace topo::nl {
namespace {

// An NLMSG_ERROR for a request of `echoed` payload bytes (0: capped), with
// `text` as NLMSGERR_ATTR_MSG when `tlvs`; `cut` bytes taken off the end.
std::vector<char> error_reply(const std::string& text, bool tlvs, std::size_t echoed, std::size_t cut = 0) {
  std::vector<char> buf(1024, 0);
  auto* h = reinterpret_cast<nlmsghdr*>(buf.data());
  h->nlmsg_type = NLMSG_ERROR;
  h->nlmsg_flags = static_cast<uint16_t>((tlvs ? NLM_F_ACK_TLVS : 0) | (echoed ? 0 : NLM_F_CAPPED));
  auto* e = reinterpret_cast<nlmsgerr*>(buf.data() + NLMSG_HDRLEN);
  e->error = -EINVAL;
  e->msg.nlmsg_len = static_cast<uint32_t>(NLMSG_HDRLEN + echoed);
  std::size_t len = NLMSG_HDRLEN + sizeof(nlmsgerr) + echoed;
  if (tlvs) {
    len = NLMSG_ALIGN(len);
    auto* a = reinterpret_cast<nlattr*>(buf.data() + len);
    a->nla_type = NLMSGERR_ATTR_MSG;
    a->nla_len = static_cast<uint16_t>(NLA_HDRLEN + text.size() + 1);
    std::memcpy(buf.data() + len + NLA_HDRLEN, text.c_str(), text.size() + 1);
    len += NLA_ALIGN(a->nla_len);
  }
  h->nlmsg_len = static_cast<uint32_t>(len - cut);
  return buf;
}

const nlmsghdr* hdr(const std::vector<char>& b) { return reinterpret_cast<const nlmsghdr*>(b.data()); }

TEST(ExtAck, TheKernelsTextCappedOrAfterTheEchoedRequest) {
  EXPECT_EQ(ext_ack_text(hdr(error_reply("Unknown device type", true, 0))), "Unknown device type");
  EXPECT_EQ(ext_ack_text(hdr(error_reply("Invalid prefix", true, 16))), "Invalid prefix");
}

TEST(ExtAck, NoTextWhenNoneWasSentOrTheReplyIsCut) {
  EXPECT_EQ(ext_ack_text(hdr(error_reply("ignored", false, 0))), "");
  EXPECT_EQ(ext_ack_text(hdr(error_reply("Unknown device type", true, 0, 12))), "") << "an attribute past the reply's end";
  std::vector<char> tiny = error_reply("x", true, 0);
  const_cast<nlmsghdr*>(hdr(tiny))->nlmsg_len = NLMSG_HDRLEN;  // not even the error code
  EXPECT_EQ(ext_ack_text(hdr(tiny)), "");
}

}  // namespace
}  // namespace topo::nl
