#pragma once
// nftables over netlink (libmnl + libnftnl): a socket in the current
// namespace, reading one table and its rules, and sending one transaction
// (a batch: the kernel applies all of it or none of it).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <linux/netlink.h>

#include "reconciler/kernel/firewall/nft_handles.hpp"

namespace topo::firewall {

class NftSocket {
 public:
  NftSocket();  // NETLINK_NETFILTER in the calling thread's namespace
  mnl_socket* get() const { return sock_.get(); }
  uint32_t portid() const { return portid_; }
  uint32_t next_seq() { return seq_++; }

 private:
  nft::Socket sock_;
  uint32_t portid_ = 0;
  uint32_t seq_ = 1;
};

// The table `name` of a family (NFPROTO_*), or nothing when it does not exist.
std::optional<nft::Table> get_table(NftSocket& s, int family, const std::string& name);
// The rules of that table only (the kernel filters the dump by table), and
// with `chain`, of that chain only: another program's table can hold tens of
// thousands of rules in chains that do not matter.
std::vector<nft::Rule> dump_rules(NftSocket& s, int family, const std::string& name, const std::string& chain = "");
// Every chain of every table in every family.
std::vector<nft::Chain> dump_chains(NftSocket& s);

// One nftables transaction. add_* append a message; commit() sends
// BATCH_BEGIN, the messages, BATCH_END and waits for the kernel's verdict.
class Transaction {
 public:
  explicit Transaction(NftSocket& s) : sock_(s) {}
  // `what` names the object for error messages.
  void add(const std::string& what, const std::function<nlmsghdr*(char* buf, uint32_t seq)>& build);
  size_t size() const { return whats_.size(); }
  void commit();

 private:
  NftSocket& sock_;
  std::vector<char> buf_;
  size_t used_ = 0;
  std::vector<std::string> whats_;  // per message, by seq - first_seq_
  uint32_t first_seq_ = 0;
};

}  // namespace topo::firewall
