// A `checks` entry must say one thing `topo verify` can try: from a container
// that exists, to a container or an address, or a name to resolve, with a
// protocol that fits its port. A wrong one is found at load, like any other
// manifest mistake, and not as a failing check after apply.
#include "reconciler/loader/semantic_checks.hpp"

namespace topo::loader {

void check_reachability(const RawModel& m, const NameIndex& names, Diagnostics& diag) {
  for (const RawCheck& raw : m.checks) {
    const Check& c = raw.c;
    const std::string what = "check from " + quoted(c.from);
    if (!names.containers.count(c.from))
      diag.error(raw.where.at("from"), what + ": unknown container " + quoted(c.from));
    const bool to = raw.where.has("to"), resolve = raw.where.has("resolve");
    if (to == resolve) {
      diag.error(raw.where.object, what + ": write either \"to\" (a container or an address to reach) or " +
                                       "\"resolve\" (a name to look up), " + (to ? "not both" : "one of them"));
      continue;
    }
    if (resolve) {
      for (const char* key : {"port", "protocol"})
        if (raw.where.has(key))
          diag.error(raw.where.at(key), what + ": \"" + key + "\" does not go with \"resolve\", which looks a " +
                                            "name up in the container's hosts file and resolv.conf");
      continue;
    }
    if (!IpAddress::parse(c.to) && !names.containers.count(c.to))
      diag.error(raw.where.at("to"), what + ": " + quoted(c.to) + " is neither a container nor an IP address");
    if (auto a = IpAddress::parse(c.to); a && (a->is_unspecified() || a->is_multicast()))
      diag.error(raw.where.at("to"), what + ": " + c.to + " is not one machine's address (" +
                                         (a->is_multicast() ? "multicast" : "unspecified") + "): nothing answers as it");
    if (IpAddress::parse(c.to) && names.containers.count(c.to))
      diag.error(raw.where.at("to"), what + ": " + quoted(c.to) + " is both an address and a container's name");
    if (raw.protocol_text == "icmp" && c.port)
      diag.error(raw.where.at("port"), what + ": a port does not go with protocol icmp (an echo request)");
    if ((raw.protocol_text == "tcp" || raw.protocol_text == "udp") && !c.port)
      diag.error(raw.where.at("protocol"), what + ": protocol " + raw.protocol_text + " needs a \"port\"");
  }
}

}  // namespace topo::loader
