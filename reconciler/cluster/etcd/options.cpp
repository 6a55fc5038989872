#include "reconciler/cluster/etcd/options.hpp"

#include <stdexcept>

namespace topo::etcd {

std::vector<std::string> parse_endpoints(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = list.find(',', start);
    std::string url(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    while (!url.empty() && (url.back() == '/' || url.back() == ' ')) url.pop_back();
    while (!url.empty() && url.front() == ' ') url.erase(0, 1);
    bool http = url.rfind("http://", 0) == 0 && url.size() > 7;
    bool https = url.rfind("https://", 0) == 0 && url.size() > 8;
    if (!http && !https)
      throw std::invalid_argument("etcd endpoint \"" + url + "\" is not an http:// or https:// URL (in \"" +
                                  std::string(list) + "\")");
    out.push_back(std::move(url));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace topo::etcd
