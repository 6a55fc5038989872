#include "reconciler/kernel/firewall/nft_firewall.hpp"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <stdexcept>

#include "reconciler/kernel/errors.hpp"
#include "reconciler/kernel/firewall/nft_build.hpp"
#include "reconciler/kernel/firewall/nft_io.hpp"
#include "reconciler/resources/firewall.hpp"
#include "reconciler/resources/firewall_rules.hpp"

namespace topo::firewall {
namespace {

constexpr Family kFamilies[] = {Family::Inet, Family::Bridge};

std::string table_resource_name(Family f) { return std::string("table ") + family_name(f) + " " + kTableName; }

bool marked(const nftnl_table* t) {
  if (!nftnl_table_is_set(t, NFTNL_TABLE_USERDATA)) return false;
  uint32_t len = 0;
  const void* data = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
  return data && std::string(static_cast<const char*>(data), len) == kTableMark;
}

bool same(const std::map<std::string, Resource>& a, const std::map<std::string, Resource>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, r] : a) {
    auto it = b.find(name);
    if (it == b.end() || it->second.attrs != r.attrs) return false;
  }
  return true;
}

}  // namespace

void NftFirewall::observe(Observed& out) {
  NftSocket sock;
  pending_.clear();
  committed_.clear();
  owned_families_.clear();
  for (Family fam : kFamilies) {
    int proto = nfproto(fam);
    auto table = get_table(sock, proto, kTableName);
    if (!table) continue;
    Resource tr;
    tr.kind = Kind::Firewall;
    tr.name = table_resource_name(fam);
    if (!marked(table->get())) {
      out.foreign.insert(tr.key());  // someone else's "topo": never touched
      continue;
    }
    owned_families_.insert(proto);
    tr.attrs[fattr::intent] = "table";
    tr.attrs[fattr::family] = family_name(fam);
    tr.origin = "firewall";  // stack "": shared by every stack
    std::map<std::string, Resource> found{{tr.name, tr}};
    std::map<std::string, std::set<int>> seen;
    for (const auto& rule : dump_rules(sock, proto, kTableName)) {
      auto label = decode_label(rule_label(rule.get()));
      if (!label) continue;  // a rule added by hand into our table: not an intent
      auto [it, fresh] = found.emplace(label->resource.name, label->resource);
      if (fresh) it->second.origin = "firewall";
      seen[label->resource.name].insert(label->index);
    }
    for (auto& [name, r] : found) {
      size_t want = 0;
      try {
        want = rules_of(r).size();
      } catch (const std::invalid_argument&) {
        want = 0;  // unreadable attributes: shown as drift, rewritten by apply
      }
      size_t have = seen[name].size();
      r.attrs[fattr::rules] = (want && have == want) || (!want && have == 0 && r.attr(fattr::intent) == "table")
                                  ? kAllRules
                                  : std::to_string(have) + " of " + std::to_string(want);
      committed_[name] = r;
      out.owned.push_back(r);
    }
  }
  pending_ = committed_;
  observed_ = true;
}

void NftFirewall::ensure_observed() {
  if (observed_) return;
  Observed ignored;
  observe(ignored);
}

void NftFirewall::create(const Resource& d) {
  ensure_observed();
  rules_of(d);  // refuse unusable attributes now, not at commit time
  pending_[d.name] = d;
}

void NftFirewall::update(const Resource&, const Resource& d) { create(d); }

void NftFirewall::remove(const Resource& c) {
  ensure_observed();
  pending_.erase(c.name);
}

void NftFirewall::commit() {
  if (!observed_ || same(pending_, committed_)) return;
  NftSocket sock;
  Transaction tx(sock);
  std::set<int> now_owned;
  for (Family fam : kFamilies) {
    int proto = nfproto(fam);
    bool want = pending_.count(table_resource_name(fam)) > 0;
    std::vector<Resource> members;
    for (const auto& [name, r] : pending_)
      if (family_of(r) == fam && r.attr(fattr::intent) != "table") members.push_back(r);
    if (!want && !members.empty())
      throw std::invalid_argument("firewall: " + members.front().name + " needs " + table_resource_name(fam));
    std::string tname = std::string(family_name(fam)) + " " + kTableName;
    auto table_msg = [&](uint16_t type, uint16_t flags, bool with_mark) {
      tx.add("table " + tname, [=](char* buf, uint32_t seq) {
        nft::Table t(nftnl_table_alloc());
        nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, kTableName);
        if (with_mark) nftnl_table_set_data(t.get(), NFTNL_TABLE_USERDATA, kTableMark, std::string(kTableMark).size());
        nlmsghdr* nlh = nftnl_table_nlmsg_build_hdr(buf, type, proto, flags, seq);
        nftnl_table_nlmsg_build_payload(nlh, t.get());
        return nlh;
      });
    };
    if (owned_families_.count(proto)) {
      // Add (a no-op when it is there) then delete: the delete cannot fail
      // on a table removed by hand since the observation.
      table_msg(NFT_MSG_NEWTABLE, NLM_F_CREATE, true);
      table_msg(NFT_MSG_DELTABLE, 0, false);
    }
    if (!want) continue;
    now_owned.insert(proto);
    table_msg(NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL, true);
    for (const auto& c : chains_of(fam)) {
      tx.add("chain " + tname + " " + chain_name(c.chain), [=](char* buf, uint32_t seq) {
        nft::Chain ch(nftnl_chain_alloc());
        nftnl_chain_set_str(ch.get(), NFTNL_CHAIN_TABLE, kTableName);
        nftnl_chain_set_str(ch.get(), NFTNL_CHAIN_NAME, chain_name(c.chain));
        nftnl_chain_set_str(ch.get(), NFTNL_CHAIN_TYPE, c.type);
        nftnl_chain_set_u32(ch.get(), NFTNL_CHAIN_HOOKNUM, c.hook);
        nftnl_chain_set_s32(ch.get(), NFTNL_CHAIN_PRIO, c.priority);
        nftnl_chain_set_u32(ch.get(), NFTNL_CHAIN_POLICY, NF_ACCEPT);
        nlmsghdr* nlh = nftnl_chain_nlmsg_build_hdr(buf, NFT_MSG_NEWCHAIN, proto, NLM_F_CREATE | NLM_F_EXCL, seq);
        nftnl_chain_nlmsg_build_payload(nlh, ch.get());
        return nlh;
      });
    }
    std::vector<Resource> in_table = members;
    in_table.push_back(pending_.at(table_resource_name(fam)));
    for (const auto& spec : ruleset_of(in_table)) {
      nft::Rule rule = build_rule(spec);
      nftnl_rule* raw = rule.get();
      tx.add("rule \"" + spec.label + "\" in " + tname + " " + chain_name(spec.chain), [raw, proto](char* buf, uint32_t seq) {
        nlmsghdr* nlh = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, proto, NLM_F_CREATE | NLM_F_APPEND, seq);
        nftnl_rule_nlmsg_build_payload(nlh, raw);
        return nlh;
      });
    }
  }
  tx.commit();
  committed_ = pending_;
  owned_families_ = now_owned;
}

}  // namespace topo::firewall
