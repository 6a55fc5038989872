#include "reconciler/kernel/firewall/nft_build.hpp"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <netinet/in.h>

#include <cstring>
#include <stdexcept>

namespace topo::firewall {

int nfproto(Family f) { return f == Family::Inet ? NFPROTO_INET : NFPROTO_BRIDGE; }

std::vector<ChainSpec> chains_of(Family f) {
  if (f == Family::Bridge) return {{Chain::BridgeForward, "filter", NF_BR_FORWARD, 0}};
  return {{Chain::Prerouting, "nat", NF_INET_PRE_ROUTING, -100},
          {Chain::Output, "nat", NF_INET_LOCAL_OUT, -100},
          {Chain::Postrouting, "nat", NF_INET_POST_ROUTING, 100},
          {Chain::Forward, "filter", NF_INET_FORWARD, 0},
          {Chain::Input, "filter", NF_INET_LOCAL_IN, 0}};
}

namespace {

class Builder {
 public:
  explicit Builder(nftnl_rule* r) : rule_(r) {}

  void meta(uint32_t key) {
    nftnl_expr* e = add("meta");
    nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
    nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
  }
  void cmp(uint32_t op, const void* data, uint32_t len) {
    nftnl_expr* e = add("cmp");
    nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
    nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
  }
  void ifname(uint32_t key, const std::string& name, bool neq) {
    char buf[IFNAMSIZ] = {};
    if (name.size() >= IFNAMSIZ) throw std::invalid_argument("interface name too long: " + name);
    std::memcpy(buf, name.data(), name.size());
    meta(key);
    cmp(neq ? NFT_CMP_NEQ : NFT_CMP_EQ, buf, IFNAMSIZ);
  }
  void u32_match(uint32_t key, uint32_t v, bool neq = false) {
    meta(key);
    cmp(neq ? NFT_CMP_NEQ : NFT_CMP_EQ, &v, 4);  // host byte order, as the kernel stores the device group
  }
  // ct KEY & mask, compared with zero: any of the bits set (NEQ) or none (EQ).
  void ct_bits(uint32_t key, uint32_t mask, bool any) {
    nftnl_expr* e = add("ct");
    nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
    uint32_t zero = 0;
    bitwise(&mask, 4);
    cmp(any ? NFT_CMP_NEQ : NFT_CMP_EQ, &zero, 4);
  }
  void u8_match(uint32_t key, uint8_t v) {
    meta(key);
    cmp(NFT_CMP_EQ, &v, 1);
  }
  void payload(uint32_t base, uint32_t offset, uint32_t len) {
    nftnl_expr* e = add("payload");
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
  }
  void bitwise(const void* mask, uint32_t len) {
    uint8_t zero[16] = {};
    nftnl_expr* e = add("bitwise");
    nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
    nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
    nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
  }
  // ip saddr/daddr in PREFIX: load, mask the host bits, compare.
  void addr(const IpPrefix& p, bool source, bool neq = false) {
    bool v4 = p.addr.is_v4();
    uint32_t len = v4 ? 4 : 16;
    uint32_t off = v4 ? (source ? 12 : 16) : (source ? 8 : 24);
    payload(NFT_PAYLOAD_NETWORK_HEADER, off, len);
    IpAddress net = p.network();
    if (p.len < p.addr.bits()) {
      uint8_t mask[16] = {};
      for (int i = 0; i < p.len; ++i) mask[i / 8] |= uint8_t(0x80 >> (i % 8));
      bitwise(mask, len);
    }
    cmp(neq ? NFT_CMP_NEQ : NFT_CMP_EQ, net.bytes.data(), len);
  }
  void immediate_data(uint32_t reg, const void* data, uint32_t len) {
    nftnl_expr* e = add("immediate");
    nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
    nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
  }
  void verdict(int v) {
    nftnl_expr* e = add("immediate");
    nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
    nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, v);
  }
  nftnl_expr* add(const char* name) {
    nft::Expr e(nftnl_expr_alloc(name));
    if (!e) throw std::bad_alloc();
    nftnl_expr* raw = e.get();
    nftnl_rule_add_expr(rule_, e.release());  // the rule owns it now
    return raw;
  }

 private:
  nftnl_rule* rule_;
};

}  // namespace

nft::Rule build_rule(const RuleSpec& s) {
  nft::Rule rule(nftnl_rule_alloc());
  if (!rule) throw std::bad_alloc();
  Family fam = family_of(s.chain);
  nftnl_rule_set_u32(rule.get(), NFTNL_RULE_FAMILY, nfproto(fam));
  nftnl_rule_set_str(rule.get(), NFTNL_RULE_TABLE, "topo");
  nftnl_rule_set_str(rule.get(), NFTNL_RULE_CHAIN, chain_name(s.chain));
  Builder b(rule.get());

  if (!s.iif.empty()) b.ifname(NFT_META_IIFNAME, s.iif, s.iif_neq);
  if (!s.oif.empty()) b.ifname(NFT_META_OIFNAME, s.oif, s.oif_neq);
  if (s.iifgroup) b.u32_match(NFT_META_IIFGROUP, *s.iifgroup, s.iifgroup_neq);
  if (s.oifgroup) b.u32_match(NFT_META_OIFGROUP, *s.oifgroup);
  const IpPrefix* any_addr = s.saddr ? &*s.saddr : s.daddr ? &*s.daddr : nullptr;
  bool v4 = any_addr ? any_addr->addr.is_v4() : true;
  if (any_addr || s.verdict == RuleSpec::Verdict::Dnat || s.daddr_local)
    b.u8_match(NFT_META_NFPROTO, v4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
  if (s.ct_dnat || s.ct_not_dnat) b.ct_bits(NFT_CT_STATUS, IPS_DST_NAT, s.ct_dnat);
  if (s.ct_not_reply)
    b.ct_bits(NFT_CT_STATE, NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED), false);
  if (s.daddr_local) {
    nftnl_expr* e = b.add("fib");
    nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, NFTA_FIB_F_DADDR);
    nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
    nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG_1);
    uint32_t local = RTN_LOCAL;
    b.cmp(NFT_CMP_EQ, &local, 4);
  }
  if (s.saddr) b.addr(*s.saddr, true);
  if (s.daddr) b.addr(*s.daddr, false, s.daddr_neq);
  if (!s.l4proto.empty()) {
    b.u8_match(NFT_META_L4PROTO, s.l4proto == "udp" ? IPPROTO_UDP : IPPROTO_TCP);
    uint16_t port = htons(uint16_t(s.dport));
    b.payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
    b.cmp(NFT_CMP_EQ, &port, 2);
  }
  switch (s.verdict) {
    case RuleSpec::Verdict::Accept: b.verdict(NF_ACCEPT); break;
    case RuleSpec::Verdict::Drop: b.verdict(NF_DROP); break;
    case RuleSpec::Verdict::Masquerade: b.add("masq"); break;
    case RuleSpec::Verdict::Dnat: {
      uint16_t port = htons(uint16_t(s.to_port));
      b.immediate_data(NFT_REG_1, s.to_addr.bytes.data(), 4);
      b.immediate_data(NFT_REG_2, &port, 2);
      nftnl_expr* e = b.add("nat");
      nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT);
      nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
      nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
      nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_2);
      break;
    }
  }

  nft::Udata ud(nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN));
  if (!ud) throw std::bad_alloc();
  if (!nftnl_udata_put_strz(ud.get(), NFTNL_UDATA_RULE_COMMENT, s.label.c_str()))
    throw std::length_error("firewall label too long for a rule's userdata: " + s.label);
  nftnl_rule_set_data(rule.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud.get()), nftnl_udata_buf_len(ud.get()));
  return rule;
}

namespace {
int comment_cb(const nftnl_udata* attr, void* data) {
  if (nftnl_udata_type(attr) != NFTNL_UDATA_RULE_COMMENT) return MNL_CB_OK;
  const char* v = static_cast<const char*>(nftnl_udata_get(attr));
  uint8_t len = nftnl_udata_len(attr);
  if (len == 0 || v[len - 1] != '\0') return MNL_CB_OK;
  *static_cast<std::string*>(data) = v;
  return MNL_CB_OK;
}
}  // namespace

std::string rule_label(const nftnl_rule* r) {
  if (!nftnl_rule_is_set(r, NFTNL_RULE_USERDATA)) return "";
  uint32_t len = 0;
  const void* data = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
  std::string out;
  if (data) nftnl_udata_parse(data, len, comment_cb, &out);
  return out;
}

}  // namespace topo::firewall
