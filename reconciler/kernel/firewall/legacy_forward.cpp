// The legacy x_tables FORWARD policy, read through libiptc (iptables' own
// library). Asked only when /proc/net/ip_tables_names lists "filter" in this
// namespace, so that merely looking never loads ip_tables into the kernel.
#include <libiptc/libiptc.h>

#include <cstring>

#include <fstream>
#include <memory>
#include <string>

#include "reconciler/kernel/firewall/foreign_forward.hpp"

namespace topo::firewall {

namespace {

bool legacy_filter_loaded() {
  std::ifstream in("/proc/net/ip_tables_names");
  std::string name;
  while (in >> name)
    if (name == "filter") return true;
  return false;
}

struct IptcFree {
  void operator()(xtc_handle* h) const noexcept { iptc_free(h); }
};

// "name:IFNAME" for an exact interface (mask over the name and its NUL),
// "prefix:TEXT" for iptables' "TEXT+" (mask over the text only).
std::string iface_match(const char* name, const unsigned char* mask) {
  const size_t n = strnlen(name, IFNAMSIZ);
  if (n == 0 || n == IFNAMSIZ) return "";
  return (mask[n] == 0xff ? "name:" : "prefix:") + std::string(name, n);
}

// The rule's single accepted interface, as for nftables (foreign_forward.cpp):
// -i NAME, -o NAME or -m devgroup with exactly one side, nothing else.
void read_rule(const ipt_entry* e, xtc_handle* h, ForeignForwardChain& f) {
  const char* target = iptc_get_target(e, h);
  if (!target || std::strcmp(target, "ACCEPT") != 0) return;
  if (e->ip.src.s_addr || e->ip.dst.s_addr || e->ip.proto || e->ip.invflags) return;
  std::string in = iface_match(e->ip.iniface, e->ip.iniface_mask);
  std::string out = iface_match(e->ip.outiface, e->ip.outiface_mask);
  int matches = 0;
  for (unsigned off = sizeof(ipt_entry); off < e->target_offset;) {
    const auto* m = reinterpret_cast<const xt_entry_match*>(reinterpret_cast<const char*>(e) + off);
    if (m->u.match_size == 0) return;
    ++matches;
    if (std::strcmp(m->u.user.name, "devgroup") != 0) return;
    const std::string side = devgroup_side(m->data, m->u.match_size - sizeof(xt_entry_match));
    if (side.rfind("in:", 0) == 0) in = side.substr(3);
    else if (side.rfind("out:", 0) == 0) out = side.substr(4);
    else return;
    off += m->u.match_size;
  }
  if (matches > 1 || (!in.empty() && !out.empty())) return;
  if (!in.empty()) f.accepts_in.insert(in);
  if (!out.empty()) f.accepts_out.insert(out);
}

}  // namespace

std::vector<ForeignForwardChain> read_legacy_forward_chains() {
  if (!legacy_filter_loaded()) return {};
  std::unique_ptr<xtc_handle, IptcFree> h(iptc_init("filter"));
  if (!h) return {};  // gone meanwhile, or not ours to read: nothing to warn about
  xt_counters counters{};
  const char* policy = iptc_get_policy("FORWARD", &counters, h.get());
  ForeignForwardChain f;
  f.family = "ip";
  f.table = "filter";
  f.chain = "FORWARD";
  f.legacy = true;
  f.policy_drop = policy && std::string(policy) == "DROP";
  if (!f.policy_drop) return {};
  for (const ipt_entry* e = iptc_first_rule("FORWARD", h.get()); e; e = iptc_next_rule(e, h.get()))
    read_rule(e, h.get(), f);
  return {f};
}

}  // namespace topo::firewall
