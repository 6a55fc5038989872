#include "reconciler/cluster/etcd/json_stream.hpp"

#include <stdexcept>

namespace topo::etcd {

std::vector<std::string> JsonObjectStream::feed(std::string_view chunk) {
  std::vector<std::string> done;
  for (char c : chunk) {
    if (depth_ == 0) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c != '{') throw std::runtime_error(std::string("watch stream: unexpected byte '") + c + "' between objects");
    }
    pending_ += c;
    if (pending_.size() > max_object_bytes) throw std::runtime_error("watch stream: an object exceeds 64 MiB");
    if (in_string_) {
      if (escaped_) escaped_ = false;
      else if (c == '\\') escaped_ = true;
      else if (c == '"') in_string_ = false;
      continue;
    }
    if (c == '"') in_string_ = true;
    else if (c == '{' || c == '[') ++depth_;
    else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        done.push_back(std::move(pending_));
        pending_.clear();
      }
    }
  }
  return done;
}

}  // namespace topo::etcd
