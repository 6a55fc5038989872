#include "providers/files/files_provider.hpp"

#include <map>
#include <memory>
#include <sstream>

namespace topo {

struct AttachmentIndex {
  std::map<std::string, std::vector<const Attachment*>> by_container, by_network;
  // A network's member lines, made once per network rather than once for
  // each of the members' hosts files (index-aligned with by_network).
  mutable std::map<std::string, std::vector<HostsBlock>> member_lines;
};

namespace {

const AttachmentIndex& index_of(const RenderContext& ctx) {
  if (!ctx.attachment_index) {
    auto index = std::make_shared<AttachmentIndex>();
    for (const auto& a : ctx.desired.whole().attachments) {
      index->by_container[a.container].push_back(&a);
      index->by_network[a.network].push_back(&a);
    }
    ctx.attachment_index = std::move(index);
  }
  return *ctx.attachment_index;
}

const std::vector<const Attachment*>& lookup(const std::map<std::string, std::vector<const Attachment*>>& m,
                                             const std::string& key) {
  static const std::vector<const Attachment*> none;
  auto it = m.find(key);
  return it == m.end() ? none : it->second;
}

const char* kHeader = "# Managed by topo: `topo apply` overwrites changes made here.\n";

// Docker's localhost block, so tools expecting the usual names find them.
const char* kLocalhost =
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "ff00::0\tip6-mcastprefix\n"
    "ff02::1\tip6-allnodes\n"
    "ff02::2\tip6-allrouters\n";

const Allocation* allocation_of(const Attachment& a, const RenderContext& ctx) {
  auto it = ctx.allocations.find(attachment_key(a));
  return it == ctx.allocations.end() ? nullptr : &it->second;
}

// Addresses of an attachment, IPv4 first.
std::vector<IpAddress> addresses_of(const Attachment& a, const RenderContext& ctx) {
  std::vector<IpAddress> out;
  if (const Allocation* al = allocation_of(a, ctx)) {
    if (al->ipv4) out.push_back(*al->ipv4);
    if (al->ipv6) out.push_back(*al->ipv6);
  }
  return out;
}

// A container's attachments in the whole model, in manifest order.
const std::vector<const Attachment*>& attachments_of(const std::string& container, const RenderContext& ctx) {
  return lookup(index_of(ctx).by_container, container);
}

// `a` with `names`, duplicates dropped, order kept.
HostsLine line(const IpAddress& a, const std::vector<std::string>& names) {
  HostsLine out{a.str(), {}};
  for (const auto& n : names) {
    bool dup = false;
    for (const auto& s : out.names) dup |= s == n;
    if (!dup) out.names.push_back(n);
  }
  return out;
}

// "address\tname1 name2\n"
void append_text(const HostsLine& l, std::string& out) {
  out += l.address;
  out += '\t';
  for (std::size_t i = 0; i < l.names.size(); ++i) {
    if (i) out += ' ';
    out += l.names[i];
  }
  out += '\n';
}

void self_lines(const Container& c, const RenderContext& ctx, HostsSink& sink) {
  const auto& mine = attachments_of(c.name, ctx);
  bool any = false;
  sink.part("this container");
  for (const Attachment* a : mine) {
    std::vector<std::string> names{c.hostname, c.name};
    names.insert(names.end(), a->aliases.begin(), a->aliases.end());
    for (const auto& ip : addresses_of(*a, ctx)) {
      sink.line(line(ip, names));
      any = true;
    }
  }
  // Without an address of its own, its name still resolves (Debian's habit).
  if (!any) sink.line(line(*IpAddress::parse("127.0.1.1"), {c.hostname, c.name}));
}

void extra_host_lines(const Container& c, HostsSink& sink) {
  if (c.extra_hosts.empty()) return;
  sink.part("extra_hosts");
  for (const ExtraHost& h : c.extra_hosts) sink.line(line(h.ip, {h.name}));
}

// A link's address: the target's on the first network both share, else the
// target's first address anywhere.
std::vector<IpAddress> link_addresses(const Container& c, const std::string& target, const RenderContext& ctx) {
  const auto& theirs = attachments_of(target, ctx);
  for (const Attachment* mine : attachments_of(c.name, ctx))
    for (const Attachment* t : theirs)
      if (t->network == mine->network) return addresses_of(*t, ctx);
  for (const Attachment* t : theirs) {
    auto a = addresses_of(*t, ctx);
    if (!a.empty()) return a;
  }
  return {};
}

void link_lines(const Container& c, const RenderContext& ctx, HostsSink& sink) {
  if (c.links.empty()) return;
  sink.part("links");
  for (const ContainerLink& link : c.links) {
    auto addrs = link_addresses(c, link.target, ctx);
    if (addrs.empty()) sink.note(link.target + " has no address to link to");
    for (const auto& ip : addrs) sink.line(line(ip, {link.alias, link.target}));
  }
}

// A member by its name and aliases, then each again qualified by the
// network (NAME.NETWORK, ALIAS.NETWORK), as Docker's resolver answers them:
// the qualified name stays unambiguous when two networks have a "db".
std::vector<std::string> member_names(const Attachment& member) {
  std::vector<std::string> names{member.container};
  names.insert(names.end(), member.aliases.begin(), member.aliases.end());
  const std::size_t plain = names.size();
  for (std::size_t i = 0; i < plain; ++i) names.push_back(names[i] + "." + member.network);
  return names;
}

// Each member's lines of a network, in member order, made on first use.
const std::vector<HostsBlock>& member_lines_of(const std::string& network, const RenderContext& ctx) {
  const AttachmentIndex& index = index_of(ctx);
  auto [it, fresh] = index.member_lines.try_emplace(network);
  if (fresh) {
    for (const Attachment* member : lookup(index.by_network, network)) {
      HostsBlock block;
      for (const auto& ip : addresses_of(*member, ctx)) block.lines.push_back(line(ip, member_names(*member)));
      for (const HostsLine& l : block.lines) append_text(l, block.text);
      it->second.push_back(std::move(block));
    }
  }
  return it->second;
}

void member_lines(const Container& c, const RenderContext& ctx, HostsSink& sink) {
  for (const Attachment* mine : attachments_of(c.name, ctx)) {
    sink.part("network " + mine->network);
    // The whole model, not this node's slice: members on other hosts count too.
    const auto& members = lookup(index_of(ctx).by_network, mine->network);
    const auto& blocks = member_lines_of(mine->network, ctx);
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i]->container != c.name) sink.block(blocks[i]);
  }
}

// The hosts file's text: "# heading", "address\tname1 name2", "# note". A
// stream, not a string: its str() is the file's size, where a string grown
// by appends keeps up to twice that for every container's file.
class HostsText : public HostsSink {
 public:
  explicit HostsText(std::ostringstream& out) : out_(out) {}
  void part(const std::string& heading) override { out_ << "# " << heading << "\n"; }
  void line(const HostsLine& l) override {
    std::string text;
    append_text(l, text);
    out_ << text;
  }
  void block(const HostsBlock& b) override { out_ << b.text; }
  void note(const std::string& text) override { out_ << "# " << text << "\n"; }

 private:
  std::ostringstream& out_;
};

bool loopback_nameserver(const std::string& text) {
  auto ip = IpAddress::parse(text);
  if (!ip) return false;
  if (ip->is_v4()) return ip->bytes[0] == 127;
  return *ip == *IpAddress::parse("::1");
}

Resource file(const Container& c, const char* name, std::string content) {
  Resource r;
  r.kind = Kind::File;
  r.ns = c.name;
  r.name = name;
  r.attrs[attr::content] = std::move(content);
  r.origin = "container/" + c.name;
  return r;
}

}  // namespace

bool gets_files(const Container& c) { return c.network_mode != NetworkMode::Host; }

void walk_hosts(const Container& c, const RenderContext& ctx, HostsSink& sink) {
  self_lines(c, ctx, sink);
  extra_host_lines(c, sink);
  link_lines(c, ctx, sink);
  member_lines(c, ctx, sink);
}

std::string render_hosts(const Container& c, const RenderContext& ctx) {
  std::ostringstream out;
  out << kHeader << kLocalhost;
  HostsText text(out);
  walk_hosts(c, ctx, text);
  return out.str();
}

const Container& files_source(const Container& c, const Desired& desired) {
  // A container:<name> joiner shares its target's namespace, so it sees the
  // target's files (as in Docker); chains are followed (the loader forbids cycles).
  const Container* source = &c;
  for (std::size_t hops = 0; source->network_mode == NetworkMode::Container && hops < desired.whole().containers.size();
       ++hops) {
    const Container* t = desired.whole().container(source->mode_target);
    if (!t) break;
    source = t;
  }
  return *source;
}

std::string render_resolv_conf(const Container& c, const std::string& host_resolv_conf) {
  std::ostringstream out;
  out << kHeader;
  if (c.dns.empty() || c.dns_search.empty()) out << "# what is not set in the manifests comes from the host's resolv.conf\n";
  for (const auto& ns : c.dns) out << "nameserver " << ns << "\n";
  if (!c.dns_search.empty()) {
    out << "search";
    for (const auto& d : c.dns_search) out << " " << d;
    out << "\n";
  }
  std::istringstream host(host_resolv_conf);
  std::string l;
  while (std::getline(host, l)) {
    std::istringstream words(l);
    std::string key, value;
    words >> key >> value;
    if (key == "nameserver") {
      if (!c.dns.empty()) continue;
      if (loopback_nameserver(value)) {
        out << "# nameserver " << value << " of the host left out: unreachable from this namespace\n";
        continue;
      }
      out << "nameserver " << value << "\n";
    } else if (key == "search" || key == "domain") {
      if (c.dns_search.empty()) out << l << "\n";
    } else if (key == "options" || key == "sortlist") {
      out << l << "\n";
    }
    // Comments and blank lines of the host's file are not copied.
  }
  return out.str();
}

void render_container_files(const Container& c, const RenderContext& ctx, std::vector<Resource>& out) {
  if (!gets_files(c)) return;
  const Container& source = files_source(c, ctx.desired);
  if (source.network_mode == NetworkMode::Host) return;
  out.push_back(file(c, kHostsFile, render_hosts(source, ctx)));
  out.push_back(file(c, kResolvConfFile, render_resolv_conf(source, ctx.host_resolv_conf)));
}

}  // namespace topo
