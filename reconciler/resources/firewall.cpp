#include "reconciler/resources/firewall.hpp"

#include "reconciler/model/desired.hpp"

namespace topo::firewall {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

std::string encode_label(const Resource& r, int index, int count) {
  std::string s = "topo|" + std::to_string(index) + "/" + std::to_string(count) + "|" + r.name + "|";
  bool first = true;
  for (const auto& [k, v] : r.attrs) {
    if (k == fattr::rules) continue;
    s += (first ? "" : ";") + k + "=" + v;
    first = false;
  }
  // The stack, when not the default: labels from before stacks had four fields.
  if (!r.stack.empty() && r.stack != kDefaultStack) s += "|" + r.stack;
  return s;
}

std::optional<Label> decode_label(const std::string& text) {
  auto parts = split(text, '|');
  if ((parts.size() != 4 && parts.size() != 5) || parts[0] != "topo" || parts[2].empty()) return std::nullopt;
  Label l;
  auto slash = parts[1].find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    l.index = std::stoi(parts[1].substr(0, slash));
    l.count = std::stoi(parts[1].substr(slash + 1));
  } catch (...) {
    return std::nullopt;
  }
  if (l.count <= 0 || l.index < 0 || l.index >= l.count) return std::nullopt;
  l.resource.kind = Kind::Firewall;
  l.resource.name = parts[2];
  l.resource.stack = parts.size() == 5 && !parts[4].empty() ? parts[4] : kDefaultStack;
  for (const auto& kv : split(parts[3], ';')) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return std::nullopt;
    l.resource.attrs[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return l;
}

}  // namespace topo::firewall
