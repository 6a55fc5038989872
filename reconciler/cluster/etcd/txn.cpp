#include "reconciler/cluster/etcd/txn.hpp"

namespace topo::etcd {

Compare Compare::value_is(std::string key, CompareOp op, std::string value) {
  return Compare{std::move(key), CompareTarget::value, op, 0, std::move(value)};
}
Compare Compare::version(std::string key, CompareOp op, int64_t version) {
  return Compare{std::move(key), CompareTarget::version, op, version, {}};
}
Compare Compare::create_revision(std::string key, CompareOp op, Revision revision) {
  return Compare{std::move(key), CompareTarget::create_revision, op, revision, {}};
}
Compare Compare::mod_revision(std::string key, CompareOp op, Revision revision) {
  return Compare{std::move(key), CompareTarget::mod_revision, op, revision, {}};
}
Compare Compare::lease(std::string key, CompareOp op, LeaseId lease) {
  return Compare{std::move(key), CompareTarget::lease, op, lease, {}};
}

TxnOp TxnOp::put(std::string key, std::string value, LeaseId lease) {
  return TxnOp{Kind::put, std::move(key), {}, std::move(value), lease};
}
TxnOp TxnOp::get(std::string key) { return TxnOp{Kind::get, std::move(key), {}, {}, 0}; }
TxnOp TxnOp::get_prefix(std::string prefix) {
  std::string end = prefix_end(prefix);
  return TxnOp{Kind::get, std::move(prefix), std::move(end), {}, 0};
}
TxnOp TxnOp::erase(std::string key) { return TxnOp{Kind::erase, std::move(key), {}, {}, 0}; }
TxnOp TxnOp::erase_prefix(std::string prefix) {
  std::string end = prefix_end(prefix);
  return TxnOp{Kind::erase, std::move(prefix), std::move(end), {}, 0};
}

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

}  // namespace topo::etcd
