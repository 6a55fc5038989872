#include "reconciler/kernel/read/link_records.hpp"

#include <net/if.h>

#include <cstring>
#include <string>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "reconciler/kernel/link_kinds/link_kind.hpp"
#include "reconciler/kernel/nl_text.hpp"
#include "reconciler/kernel/read/rt_attrs.hpp"

namespace topo::observer {
namespace {

using rta::payload_len;
using rta::text_of;
using rta::type_of;
using rta::u32_of;

// IFLA_LINKINFO: the kind's name and its IFLA_INFO_DATA.
void read_link_info(const rtattr* info, LinkRecord& r, kops::LinkAttrs& kind) {
  int left = static_cast<int>(payload_len(info));
  for (const auto* a = static_cast<const rtattr*>(RTA_DATA(info)); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
    if (type_of(a) == IFLA_INFO_KIND) r.type = text_of(a);
    if (type_of(a) == IFLA_INFO_DATA) kind.info_data = reinterpret_cast<const nlattr*>(a);
  }
}

}  // namespace

std::optional<LinkRecord> parse_link(const nlmsghdr* h) {
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) return std::nullopt;
  const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  LinkRecord r;
  r.index = ifi->ifi_index;
  r.up = (ifi->ifi_flags & IFF_UP) != 0;
  kops::LinkAttrs kind;
  int left = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(ifinfomsg)));
  for (const rtattr* a = IFLA_RTA(ifi); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
    switch (type_of(a)) {
      case IFLA_IFNAME: r.name = text_of(a); break;
      case IFLA_IFALIAS: r.alias = text_of(a); break;
      case IFLA_ADDRESS: r.mac = nl::mac_text(RTA_DATA(a), payload_len(a)); break;
      case IFLA_MTU: r.mtu = u32_of(a); break;
      case IFLA_GROUP: r.group = u32_of(a); break;
      case IFLA_MASTER: r.master = static_cast<int>(u32_of(a)); break;
      case IFLA_LINK: kind.link = static_cast<int>(u32_of(a)); break;
      case IFLA_LINKINFO: read_link_info(a, r, kind); break;
      default: break;
    }
  }
  if (const kops::LinkKind* k = kops::find_link_kind(r.type); k && k->extract) k->extract(kind, r);
  return r;
}

}  // namespace topo::observer
