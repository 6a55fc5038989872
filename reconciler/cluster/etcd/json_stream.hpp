#pragma once
// Splits a byte stream of concatenated JSON objects (a watch's answer: one
// {"result": ...} after another, as the gateway flushes them) into whole
// objects, however the bytes arrive in chunks. Pure; no JSON parsing beyond
// finding where each top-level object ends (braces outside strings).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace topo::etcd {

class JsonObjectStream {
 public:
  // Appends a chunk; returns the objects it completed, as text, in order.
  // Whitespace between objects is skipped. Throws std::runtime_error on a
  // byte outside an object that is not whitespace, or on an object larger
  // than max_object_bytes (a runaway stream).
  std::vector<std::string> feed(std::string_view chunk);
  // True when a partial object is pending (a stream that ends here was cut).
  bool partial() const { return depth_ > 0; }

  static constexpr size_t max_object_bytes = 64u << 20;

 private:
  std::string pending_;  // the object being assembled
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace topo::etcd
