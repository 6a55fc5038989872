// The table of link kinds: a new kind is one file in this folder and one
// line here (and its declaration in link_kind.hpp). Listed explicitly, not
// self-registered: topo_kernel is a static library, and the linker would drop
// a kind's file that nothing refers to.
#include "reconciler/kernel/link_kinds/link_kind.hpp"

#include <cstring>

#include <netlink/attr.h>

namespace topo::kops {
namespace {

const LinkKind* const kKinds[] = {&bridge_kind, &veth_kind, &vxlan_kind, &macvlan_kind, &ipvlan_kind, &vlan_kind};

}  // namespace

const nlattr* LinkAttrs::data(int type) const {
  if (!info_data) return nullptr;
  nlattr* a;
  int left;
  nla_for_each_nested(a, info_data, left)
    if (nla_type(a) == type) return a;
  return nullptr;
}

namespace {

template <typename Number>
std::optional<Number> number_in(const nlattr* a) {
  if (!a || nla_len(a) < static_cast<int>(sizeof(Number))) return std::nullopt;
  Number n;
  std::memcpy(&n, nla_data(a), sizeof n);
  return n;
}

}  // namespace

std::optional<uint8_t> LinkAttrs::u8(int type) const { return number_in<uint8_t>(data(type)); }
std::optional<uint16_t> LinkAttrs::u16(int type) const { return number_in<uint16_t>(data(type)); }
std::optional<uint32_t> LinkAttrs::u32(int type) const { return number_in<uint32_t>(data(type)); }

const LinkKind* find_link_kind(const std::string& type) {
  for (const LinkKind* k : kKinds)
    if (type == k->type) return k;
  return nullptr;
}

}  // namespace topo::kops
