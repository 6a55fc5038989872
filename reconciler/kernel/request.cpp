#include "reconciler/kernel/request.hpp"

#include <linux/netlink.h>

#include <cstring>
#include <utility>

#include <netlink/handlers.h>

#include "reconciler/kernel/errors.hpp"

namespace topo::nl {
namespace {

struct Pending {
  unsigned seq;
  Ack ack;
  bool done = false;
};

// Replies to requests other than the awaited one (an abandoned earlier wait)
// are skipped, so one lost ack cannot shift every later answer.
int on_error(sockaddr_nl*, nlmsgerr* e, void* arg) {
  auto* p = static_cast<Pending*>(arg);
  const auto* hdr = reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(e) - NLMSG_HDRLEN);
  if (hdr->nlmsg_seq != p->seq) return NL_SKIP;
  p->ack.err = -e->error;
  p->ack.kernel_msg = ext_ack_text(hdr);
  p->done = true;
  return NL_STOP;
}

int on_ack(nl_msg* msg, void* arg) {
  auto* p = static_cast<Pending*>(arg);
  if (nlmsg_hdr(msg)->nlmsg_seq != p->seq) return NL_SKIP;
  p->done = true;
  return NL_STOP;
}

// Reads messages until the ack (or error) of request `seq` arrives.
Ack read_ack(nl_sock* sock, unsigned seq) {
  Pending p{seq, {}};
  nl_cb* sock_cb = nl_socket_get_cb(sock);  // takes a reference
  Callbacks cb(nl_cb_clone(sock_cb));
  nl_cb_put(sock_cb);
  if (!cb) return Ack{ENOMEM, {}};
  nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &p);
  nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &p);
  while (!p.done) {
    const int r = nl_recvmsgs(sock, cb.get());
    if (r < 0 && !p.done) return Ack{to_errno(r), {}};
  }
  return p.ack;
}

}  // namespace

Batch::~Batch() {
  // An exception between add() and wait() must not leave acks in the socket.
  if (!pending_.empty()) wait();
}

void Batch::add(Msg msg) {
  const int r = nl_send_auto(sock_, msg.get());
  acks_.push_back(r < 0 ? Ack{to_errno(r), {}} : Ack{});
  pending_.push_back(r < 0 ? std::nullopt : std::optional<unsigned>(nlmsg_hdr(msg.get())->nlmsg_seq));
}

std::vector<Ack> Batch::wait() {
  for (size_t i = 0; i < acks_.size(); ++i)
    if (pending_[i]) acks_[i] = read_ack(sock_, *pending_[i]);
  pending_.clear();
  return std::exchange(acks_, {});
}

Ack request(nl_sock* sock, Msg msg) {
  Batch batch(sock);
  batch.add(std::move(msg));
  return batch.wait().front();
}

}  // namespace topo::nl
