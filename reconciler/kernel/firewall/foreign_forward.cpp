#include "reconciler/kernel/firewall/foreign_forward.hpp"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/xt_devgroup.h>

#include <cstring>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/firewall/nft_io.hpp"
#include "reconciler/resources/firewall.hpp"

namespace topo::firewall {

namespace {

std::string family_name(int f) {
  switch (f) {
    case NFPROTO_IPV4: return "ip";
    case NFPROTO_IPV6: return "ip6";
    case NFPROTO_INET: return "inet";
    default: return "";  // bridge, arp, netdev: not the routed forward path
  }
}

// "drop" or "reject" when the rule has no match at all: only counters, then
// the verdict. Anything else (a meta, payload, ct, lookup...) matches some
// packets only.
// One rule read as: at most one "meta KEY == VALUE" match, counters, and a
// final verdict. Anything else makes it a rule this check does not judge.
struct RuleScan {
  std::string verdict;       // drop | reject | accept
  std::string match;         // "in:group:N", "out:name:br-a", ... ; "" = no match
  uint32_t meta_key = 0, meta_reg = 0;
  bool have_meta = false;
  bool other = false;        // an expression outside that shape
};

std::string cmp_value(nftnl_expr* e, uint32_t key) {
  uint32_t len = 0;
  const void* data = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
  if (!data) return "";
  if (key == NFT_META_IIFGROUP || key == NFT_META_OIFGROUP) {
    if (len != sizeof(uint32_t)) return "";
    uint32_t v;
    std::memcpy(&v, data, sizeof v);
    return "group:" + std::to_string(v);
  }
  // iifname/oifname: the name padded with NULs; a value without one is a
  // prefix match (nft's "br-*", iptables' "br-+").
  const char* p = static_cast<const char*>(data);
  std::string name(p, strnlen(p, len));
  if (name.empty()) return "";
  return (name.size() == len ? "prefix:" : "name:") + name;
}

int scan_expr(nftnl_expr* e, void* data) {
  auto* st = static_cast<RuleScan*>(data);
  const char* raw = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
  const std::string n = raw ? raw : "";
  if (!st->verdict.empty()) {
    st->other = true;  // nothing may follow the verdict
  } else if (n == "counter") {
  } else if (n == "meta" && !st->have_meta && st->match.empty() && nftnl_expr_is_set(e, NFTNL_EXPR_META_DREG)) {
    st->meta_key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
    st->meta_reg = nftnl_expr_get_u32(e, NFTNL_EXPR_META_DREG);
    st->have_meta = true;
  } else if (n == "cmp" && st->have_meta && nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_SREG) == st->meta_reg &&
             nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP) == NFT_CMP_EQ) {
    const uint32_t k = st->meta_key;
    const bool in = k == NFT_META_IIFGROUP || k == NFT_META_IIFNAME;
    const bool out = k == NFT_META_OIFGROUP || k == NFT_META_OIFNAME;
    std::string value = cmp_value(e, k);
    if ((in || out) && !value.empty())
      st->match = (in ? "in:" : "out:") + value;
    else
      st->other = true;
    st->have_meta = false;
  } else if (n == "match" && !st->have_meta && st->match.empty()) {
    const char* mt = nftnl_expr_get_str(e, NFTNL_EXPR_MT_NAME);
    uint32_t len = 0;
    const void* info = nftnl_expr_get(e, NFTNL_EXPR_MT_INFO, &len);
    st->match = mt && std::strcmp(mt, "devgroup") == 0 && info ? devgroup_side(info, len) : "";
    if (st->match.empty()) st->other = true;
  } else if (n == "reject") {
    st->verdict = "reject";
  } else if (n == "immediate" && nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
    const int32_t v = int32_t(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT));
    if (v == NF_DROP) st->verdict = "drop";
    else if (v == NF_ACCEPT) st->verdict = "accept";
    else st->other = true;  // a jump or goto: where it leads is not read
  } else {
    st->other = true;
  }
  return 0;
}

// Adds what the chain's rule means for topo's traffic to `f`; returns the
// verdict when the rule drops or rejects everything that reaches it.
std::string read_rule(nftnl_rule* r, ForeignForwardChain& f) {
  RuleScan st;
  nftnl_expr_foreach(r, scan_expr, &st);
  if (st.other || st.have_meta) return "";
  if (st.match.empty()) return st.verdict == "accept" ? "" : st.verdict;
  if (st.verdict == "accept") {
    if (st.match.rfind("in:", 0) == 0) f.accepts_in.insert(st.match.substr(3));
    else f.accepts_out.insert(st.match.substr(4));
  }
  return "";
}

}  // namespace

std::string devgroup_side(const void* info, size_t len) {
  if (len < sizeof(xt_devgroup_info)) return "";
  xt_devgroup_info g;
  std::memcpy(&g, info, sizeof g);
  if (g.flags == XT_DEVGROUP_MATCH_SRC && g.src_mask == ~0u) return "in:group:" + std::to_string(g.src_group);
  if (g.flags == XT_DEVGROUP_MATCH_DST && g.dst_mask == ~0u) return "out:group:" + std::to_string(g.dst_group);
  return "";
}

std::vector<ForeignForwardChain> read_foreign_forward_chains(NftSocket& s) {
  std::vector<ForeignForwardChain> out;
  for (const nft::Chain& c : dump_chains(s)) {
    const nftnl_chain* ch = c.get();
    if (!nftnl_chain_is_set(ch, NFTNL_CHAIN_HOOKNUM) || nftnl_chain_get_u32(ch, NFTNL_CHAIN_HOOKNUM) != NF_INET_FORWARD)
      continue;
    int fam = int(nftnl_chain_get_u32(ch, NFTNL_CHAIN_FAMILY));
    ForeignForwardChain f;
    f.family = family_name(fam);
    if (f.family.empty()) continue;
    f.table = nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE);
    f.chain = nftnl_chain_get_str(ch, NFTNL_CHAIN_NAME);
    // topo's own table (inet "topo") enforces its drops on purpose.
    if (f.family == "inet" && f.table == kTableName) continue;
    f.policy_drop =
        nftnl_chain_is_set(ch, NFTNL_CHAIN_POLICY) && nftnl_chain_get_u32(ch, NFTNL_CHAIN_POLICY) == NF_DROP;
    // Dump order is chain order. The verdict that counts is the last rule's.
    std::string last_verdict;
    for (const auto& r : dump_rules(s, fam, f.table, f.chain)) last_verdict = read_rule(r.get(), f);
    if (!f.policy_drop) f.final_verdict = last_verdict;
    out.push_back(std::move(f));
  }
  for (auto& f : read_legacy_forward_chains()) out.push_back(std::move(f));
  return out;
}

}  // namespace topo::firewall
