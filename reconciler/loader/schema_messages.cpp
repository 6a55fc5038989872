#include "reconciler/loader/schema_messages.hpp"

#include <algorithm>

namespace topo::loader {
namespace {

std::string prefixed(const std::string& where, const std::string& text) {
  return where.empty() ? text : where + ": " + text;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string quoted_excerpt(const std::string& s) {
  if (s.size() <= 40) return "\"" + s + "\"";
  return "\"" + s.substr(0, 37) + "...\"";
}

std::string describe_value(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "nothing";
    case nlohmann::json::value_t::object: return "a mapping";
    case nlohmann::json::value_t::array: return "a list";
    case nlohmann::json::value_t::string: return quoted_excerpt(v.get<std::string>());
    default: return v.dump();
  }
}

bool expects_type(const nlohmann::json* schema, const std::string& type) {
  if (!schema || !schema->contains("type")) return false;
  const nlohmann::json& t = (*schema)["type"];
  if (t.is_string()) return t.get<std::string>() == type;
  return std::find(t.begin(), t.end(), type) != t.end();
}

std::string fallback_description(const nlohmann::json* schema) {
  if (expects_type(schema, "object")) return "a mapping";
  if (expects_type(schema, "array")) return "a list";
  if (expects_type(schema, "integer")) return "an integer";
  if (expects_type(schema, "boolean")) return "true or false";
  if (expects_type(schema, "string")) return "text";
  return "a different value";
}

}  // namespace

std::string unknown_key_message(const std::string& where, const std::string& key,
                                const std::vector<std::string>& allowed) {
  if (key == "<<")
    return prefixed(where, "YAML merge keys (<<) are not supported; write the keys out");
  std::string best;
  std::size_t best_distance = 3;  // suggest only close misspellings
  for (const std::string& k : allowed) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  std::string msg = "unknown key \"" + key + "\"";
  if (!best.empty()) msg += " (did you mean \"" + best + "\"?)";
  else if (!allowed.empty()) msg += " (expected one of: " + joined(allowed) + ")";
  return prefixed(where, msg);
}

std::string missing_key_message(const std::string& where, const std::string& key) {
  return prefixed(where, "missing required key \"" + key + "\"");
}

std::string expected_message(const std::string& where, const SchemaView& view, const nlohmann::json* value,
                             const std::string& written) {
  std::string msg =
      "expected " + (view.description.empty() ? fallback_description(view.schema) : view.description);
  if (value) {
    // Numbers as written: "0100", not the 100 YAML made of it.
    const bool plain = value->is_number() || value->is_boolean();
    msg += ", got " + (plain && !written.empty() ? written : describe_value(*value));
    // A plain 0100 or true was typed by YAML; quoting keeps it text.
    if (expects_type(view.schema, "string") && (value->is_number() || value->is_boolean()))
      msg += " (put it in quotes to use it as text)";
  }
  return prefixed(where, msg);
}

}  // namespace topo::loader
