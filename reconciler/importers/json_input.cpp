#include "reconciler/importers/json_input.hpp"

#include <algorithm>

namespace topo::importers {
namespace {

const Json& empty_object() {
  static const Json j = Json::object();
  return j;
}
const Json& empty_array() {
  static const Json j = Json::array();
  return j;
}

}  // namespace

std::string json_path(const std::string& base, const std::string& name) {
  return base.empty() ? name : base + "." + name;
}

Json JsonInput::parse(const std::string& text) const {
  try {
    // Parsing recurses per level: a document nested a hundred thousand deep
    // would overflow the stack. Nothing Docker or CNI writes is deeper than
    // a dozen levels; the YAML reader's bound is 64 too.
    constexpr int kMaxDepth = 64;
    Json::parser_callback_t bound = [this](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxDepth) fail("", "nested deeper than " + std::to_string(kMaxDepth) + " levels");
      return true;
    };
    return Json::parse(text, bound);
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based, the position after the last byte read.
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string why = e.what();
    if (const std::size_t pos = why.find("syntax error"); pos != std::string::npos) why = why.substr(pos);
    throw ImportError({file_, line, column}, "", "not JSON: " + why);
  }
}

void JsonInput::fail(const std::string& key, const std::string& message) const {
  throw ImportError({file_, 0, 0}, key, message);
}

void JsonInput::note(const std::string& key, const std::string& why) const {
  notes_.push_back({{file_, 0, 0}, key, why});
}

std::string JsonInput::string(const Json& obj, const char* name, const std::string& path) const {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return "";
  if (!it->is_string()) fail(json_path(path, name), "expected a string, got " + it->dump());
  return it->get<std::string>();
}

bool JsonInput::boolean(const Json& obj, const char* name, const std::string& path) const {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean()) fail(json_path(path, name), "expected true or false, got " + it->dump());
  return it->get<bool>();
}

const Json& JsonInput::object(const Json& obj, const char* name, const std::string& path) const {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return empty_object();
  if (!it->is_object()) fail(json_path(path, name), "expected an object");
  return *it;
}

const Json& JsonInput::array(const Json& obj, const char* name, const std::string& path) const {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return empty_array();
  if (!it->is_array()) fail(json_path(path, name), "expected a list");
  return *it;
}

std::vector<std::string> JsonInput::strings(const Json& obj, const char* name, const std::string& path) const {
  std::vector<std::string> out;
  const Json& list = array(obj, name, path);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string())
      fail(json_path(path, name) + "[" + std::to_string(i) + "]", "expected a string, got " + list[i].dump());
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

}  // namespace topo::importers
