#include "reconciler/kernel/firewall/nft_io.hpp"

#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "reconciler/kernel/errors.hpp"

namespace topo::firewall {
namespace {

constexpr size_t kMsgRoom = 16384;  // one message never needs more

// Reads replies to `seq` until `done` says stop; NLMSG_ERROR with an error
// throws. Returns normally on NLMSG_DONE or a zero NLMSG_ERROR (an ack).
void receive(NftSocket& s, const std::string& op, const std::string& what,
             const std::function<void(const nlmsghdr*)>& on_msg, bool& interrupted) {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE * 4);
  while (true) {
    ssize_t n = mnl_socket_recvfrom(s.get(), buf.data(), buf.size());
    if (n < 0) nl::throw_errno(op, what, errno);
    auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data());
    int len = static_cast<int>(n);
    while (mnl_nlmsg_ok(nlh, len)) {
      if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) interrupted = true;
      if (nlh->nlmsg_type == NLMSG_DONE) return;
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
        if (err->error == 0) return;
        nl::throw_errno(op, what, -err->error, nl::ext_ack_text(nlh));
      }
      on_msg(nlh);
      nlh = mnl_nlmsg_next(nlh, &len);
    }
  }
}

}  // namespace

NftSocket::NftSocket() : sock_(mnl_socket_open(NETLINK_NETFILTER)) {
  if (!sock_) nl::throw_errno("open", "nftables netlink socket", errno);
  if (mnl_socket_bind(sock_.get(), 0, MNL_SOCKET_AUTOPID) < 0) nl::throw_errno("bind", "nftables netlink socket", errno);
  portid_ = mnl_socket_get_portid(sock_.get());
  int one = 1;
  // Short acks with the kernel's own explanation of a refusal.
  mnl_socket_setsockopt(sock_.get(), NETLINK_CAP_ACK, &one, sizeof one);
  mnl_socket_setsockopt(sock_.get(), NETLINK_EXT_ACK, &one, sizeof one);
  // Never hang on a reply that does not come.
  timeval tv{5, 0};
  setsockopt(mnl_socket_get_fd(sock_.get()), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  seq_ = static_cast<uint32_t>(time(nullptr));
}

std::optional<nft::Table> get_table(NftSocket& s, int family, const std::string& name) {
  std::string what = "table " + name + " (family " + std::to_string(family) + ")";
  std::vector<char> buf(kMsgRoom);
  nft::Table req(nftnl_table_alloc());
  nftnl_table_set_str(req.get(), NFTNL_TABLE_NAME, name.c_str());
  uint32_t seq = s.next_seq();
  nlmsghdr* nlh = nftnl_table_nlmsg_build_hdr(buf.data(), NFT_MSG_GETTABLE, family, NLM_F_ACK, seq);
  nftnl_table_nlmsg_build_payload(nlh, req.get());
  if (mnl_socket_sendto(s.get(), nlh, nlh->nlmsg_len) < 0) nl::throw_errno("get", what, errno);
  std::optional<nft::Table> out;
  bool intr = false;
  try {
    receive(s, "get", what, [&](const nlmsghdr* m) {
      if (NFNL_MSG_TYPE(m->nlmsg_type) != NFT_MSG_NEWTABLE) return;
      nft::Table t(nftnl_table_alloc());
      if (nftnl_table_nlmsg_parse(m, t.get()) == 0) out = std::move(t);
    }, intr);
  } catch (const KernelError& e) {
    if (e.err() == ENOENT) return std::nullopt;
    throw;
  }
  return out;
}

std::vector<nft::Rule> dump_rules(NftSocket& s, int family, const std::string& name, const std::string& chain) {
  std::string what = "rules of table " + name + " (family " + std::to_string(family) + ")";
  for (int attempt = 0;; ++attempt) {
    std::vector<char> buf(kMsgRoom);
    nft::Rule filter(nftnl_rule_alloc());
    nftnl_rule_set_str(filter.get(), NFTNL_RULE_TABLE, name.c_str());
    if (!chain.empty()) nftnl_rule_set_str(filter.get(), NFTNL_RULE_CHAIN, chain.c_str());
    uint32_t seq = s.next_seq();
    nlmsghdr* nlh = nftnl_rule_nlmsg_build_hdr(buf.data(), NFT_MSG_GETRULE, family, NLM_F_DUMP, seq);
    nftnl_rule_nlmsg_build_payload(nlh, filter.get());
    if (mnl_socket_sendto(s.get(), nlh, nlh->nlmsg_len) < 0) nl::throw_errno("dump", what, errno);
    std::vector<nft::Rule> out;
    bool intr = false;
    try {
      receive(s, "dump", what, [&](const nlmsghdr* m) {
        if (NFNL_MSG_TYPE(m->nlmsg_type) != NFT_MSG_NEWRULE) return;
        nft::Rule r(nftnl_rule_alloc());
        if (nftnl_rule_nlmsg_parse(m, r.get()) != 0) return;
        // The kernel filtered by table; check anyway, so nothing else is ever taken for ours.
        const char* t = nftnl_rule_get_str(r.get(), NFTNL_RULE_TABLE);
        const char* c = nftnl_rule_get_str(r.get(), NFTNL_RULE_CHAIN);
        if (t && name == t && int(nftnl_rule_get_u32(r.get(), NFTNL_RULE_FAMILY)) == family &&
            (chain.empty() || (c && chain == c)))
          out.push_back(std::move(r));
      }, intr);
    } catch (const KernelError& e) {
      if (e.err() == ENOENT) return {};  // the table went away meanwhile
      throw;
    }
    if (!intr) return out;
    if (attempt == 2) nl::throw_errno("dump", what, EINTR, "interrupted by concurrent changes three times");
  }
}

std::vector<nft::Chain> dump_chains(NftSocket& s) {
  const std::string what = "chains of every table";
  for (int attempt = 0;; ++attempt) {
    std::vector<char> buf(kMsgRoom);
    uint32_t seq = s.next_seq();
    nlmsghdr* nlh = nftnl_chain_nlmsg_build_hdr(buf.data(), NFT_MSG_GETCHAIN, NFPROTO_UNSPEC, NLM_F_DUMP, seq);
    if (mnl_socket_sendto(s.get(), nlh, nlh->nlmsg_len) < 0) nl::throw_errno("dump", what, errno);
    std::vector<nft::Chain> out;
    bool intr = false;
    receive(s, "dump", what, [&](const nlmsghdr* m) {
      if (NFNL_MSG_TYPE(m->nlmsg_type) != NFT_MSG_NEWCHAIN) return;
      nft::Chain c(nftnl_chain_alloc());
      if (nftnl_chain_nlmsg_parse(m, c.get()) == 0) out.push_back(std::move(c));
    }, intr);
    if (!intr) return out;
    if (attempt == 2) nl::throw_errno("dump", what, EINTR, "interrupted by concurrent changes three times");
  }
}

namespace {

void make_room(mnl_socket* sock, size_t bytes) {
  const int fd = mnl_socket_get_fd(sock);
  int have = 0;
  socklen_t len = sizeof have;
  if (::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &len) == 0 && size_t(have) >= bytes * 2) return;
  // The kernel doubles what it is given and accounts overhead per skb: ask for
  // more than the batch. SO_SNDBUFFORCE ignores net.core.wmem_max (root).
  const int want = static_cast<int>(std::min<size_t>(bytes * 2 + 65536, 1u << 30));
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
}

}  // namespace

void Transaction::add(const std::string& what, const std::function<nlmsghdr*(char*, uint32_t)>& build) {
  if (whats_.empty()) {
    // Room for BATCH_BEGIN first.
    first_seq_ = sock_.next_seq();
    buf_.resize(kMsgRoom);
    nlmsghdr* b = nftnl_batch_begin(buf_.data(), first_seq_);
    used_ = MNL_ALIGN(b->nlmsg_len);
  }
  buf_.resize(used_ + kMsgRoom);
  nlmsghdr* nlh = build(buf_.data() + used_, first_seq_ + 1 + uint32_t(whats_.size()));
  sock_.next_seq();
  used_ += MNL_ALIGN(nlh->nlmsg_len);
  whats_.push_back(what);
}

void Transaction::commit() {
  if (whats_.empty()) return;
  // Only the last message asks for an ack: errors are reported anyway, and
  // its ack (or error) comes after every other reply, so it ends the wait.
  uint32_t last_seq = first_seq_ + uint32_t(whats_.size());
  {
    size_t off = MNL_ALIGN(reinterpret_cast<nlmsghdr*>(buf_.data())->nlmsg_len);
    while (off < used_) {
      auto* nlh = reinterpret_cast<nlmsghdr*>(buf_.data() + off);
      if (nlh->nlmsg_seq == last_seq) nlh->nlmsg_flags |= NLM_F_ACK;
      off += MNL_ALIGN(nlh->nlmsg_len);
    }
  }
  buf_.resize(used_ + kMsgRoom);
  nlmsghdr* end = nftnl_batch_end(buf_.data() + used_, sock_.next_seq());
  used_ += MNL_ALIGN(end->nlmsg_len);
  // The whole batch goes in one message, which the kernel refuses
  // (EMSGSIZE) when it is larger than the socket's send buffer: forty
  // bridge networks' rules already are. Like nft(8), grow the buffer to fit.
  make_room(sock_.get(), used_);
  if (mnl_socket_sendto(sock_.get(), buf_.data(), used_) < 0)
    nl::throw_errno("commit", "nftables transaction (" + std::to_string(whats_.size()) + " messages)", errno);

  std::vector<char> rbuf(MNL_SOCKET_BUFFER_SIZE * 4);
  std::string first_error_what, first_error_msg;
  int first_error = 0;
  while (true) {
    ssize_t n = mnl_socket_recvfrom(sock_.get(), rbuf.data(), rbuf.size());
    if (n < 0) nl::throw_errno("commit", "nftables transaction (waiting for the kernel's answer)", errno);
    auto* nlh = reinterpret_cast<const nlmsghdr*>(rbuf.data());
    int len = static_cast<int>(n);
    bool done = false;
    while (mnl_nlmsg_ok(nlh, len)) {
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
        uint32_t seq = nlh->nlmsg_seq;
        if (err->error != 0 && !first_error) {
          first_error = -err->error;
          first_error_msg = nl::ext_ack_text(nlh);
          size_t idx = seq - first_seq_ - 1;
          first_error_what = idx < whats_.size() ? whats_[idx] : "nftables transaction";
        }
        if (seq == last_seq || seq == first_seq_) done = true;
      }
      nlh = mnl_nlmsg_next(nlh, &len);
    }
    if (done) break;
  }
  if (first_error) nl::throw_errno("commit", first_error_what, first_error, first_error_msg);
}

}  // namespace topo::firewall
