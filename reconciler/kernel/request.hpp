#pragma once
// Sending netlink requests and reading their acks with the kernel's own errno
// (libnl's ack helpers fold it into NLE_* codes and drop the extended ack).
#include <optional>
#include <string>
#include <vector>

#include "reconciler/kernel/nl_handles.hpp"

namespace topo::nl {

struct Ack {
  int err = 0;             // positive errno, 0 = success
  std::string kernel_msg;  // extended ack text, if the kernel gave one
};

// Requests are all sent first and the acks read afterwards, so a batch costs
// one round trip. The kernel handles requests on one socket in order, so a
// later request may depend on an earlier one of the same batch.
class Batch {
 public:
  explicit Batch(nl_sock* sock) : sock_(sock) {}
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  // Sends at once; a send failure is recorded as that request's ack.
  void add(Msg msg);
  // Reads every outstanding ack, in the order the requests were added.
  std::vector<Ack> wait();

 private:
  nl_sock* sock_;
  std::vector<Ack> acks_;
  std::vector<std::optional<unsigned>> pending_;  // sequence number, if sent
};

// One request, one ack.
Ack request(nl_sock* sock, Msg msg);

}  // namespace topo::nl
