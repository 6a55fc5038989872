#include "reconciler/loader/schema_lookup.hpp"

namespace topo::loader {
namespace {

using nlohmann::json;

// Only local references ("#/definitions/x") occur in our schema.
const json* resolve(const json& root, const json* s) {
  for (int hops = 0; s && s->is_object() && s->contains("$ref") && hops < 16; ++hops) {
    const std::string ref = (*s)["$ref"].get<std::string>();
    if (ref.rfind("#", 0) != 0) return nullptr;
    try {
      s = &root.at(json::json_pointer(ref.substr(1)));
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  return s;
}

bool type_matches(const json& type, const json& d) {
  auto one = [&](const std::string& t) {
    if (t == "string") return d.is_string();
    if (t == "integer") return d.is_number_integer();
    if (t == "number") return d.is_number();
    if (t == "boolean") return d.is_boolean();
    if (t == "null") return d.is_null();
    if (t == "object") return d.is_object();
    if (t == "array") return d.is_array();
    return false;
  };
  if (type.is_string()) return one(type.get<std::string>());
  if (type.is_array()) {
    for (const json& t : type)
      if (t.is_string() && one(t.get<std::string>())) return true;
  }
  return false;
}

// An if/then/else keyed on the type picks the branch the data actually took.
const json* pick_branch(const json& root, const json* s, const json* d, std::string& desc) {
  if (!s || !d || !s->is_object() || !s->contains("if")) return s;
  const json* cond = resolve(root, &(*s)["if"]);
  if (!cond || !cond->contains("type")) return s;
  const char* key = type_matches((*cond)["type"], *d) ? "then" : "else";
  if (!s->contains(key)) return s;
  const json* branch = resolve(root, &(*s)[key]);
  if (!branch || (branch->contains("type") && !type_matches((*branch)["type"], *d))) return s;
  if (branch->contains("description")) desc = (*branch)["description"].get<std::string>();
  return branch;
}

}  // namespace

const json* data_at(const json& data, const NodePath& path) {
  const json* d = &data;
  for (const PathStep& step : path) {
    if (step.index >= 0) {
      if (!d->is_array() || static_cast<std::size_t>(step.index) >= d->size()) return nullptr;
      d = &(*d)[static_cast<std::size_t>(step.index)];
    } else {
      if (!d->is_object() || !d->contains(step.key)) return nullptr;
      d = &(*d)[step.key];
    }
  }
  return d;
}

SchemaView schema_at(const json& root, const json& data, const NodePath& path) {
  SchemaView view;
  const json* s = resolve(root, &root);
  const json* d = &data;
  if (s && s->contains("description")) view.description = (*s)["description"].get<std::string>();
  for (const PathStep& step : path) {
    s = pick_branch(root, s, d, view.description);
    if (!s || !s->is_object()) return {nullptr, ""};
    const json* next = nullptr;
    if (step.index >= 0) {
      if (s->contains("items")) next = &(*s)["items"];
      d = (d && d->is_array() && static_cast<std::size_t>(step.index) < d->size())
              ? &(*d)[static_cast<std::size_t>(step.index)]
              : nullptr;
    } else {
      if (s->contains("properties") && (*s)["properties"].contains(step.key)) {
        next = &(*s)["properties"][step.key];
      } else if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object()) {
        next = &(*s)["additionalProperties"];
      }
      d = (d && d->is_object() && d->contains(step.key)) ? &(*d)[step.key] : nullptr;
    }
    s = resolve(root, next);
    if (!s) return {nullptr, ""};
    // A description belongs to its own node; never describe a child by its parent.
    view.description = s->contains("description") ? (*s)["description"].get<std::string>() : "";
  }
  view.schema = pick_branch(root, s, d, view.description);
  return view;
}

std::vector<std::string> allowed_keys(const json&, const SchemaView& view) {
  std::vector<std::string> keys;
  if (!view.schema || !view.schema->contains("properties")) return keys;
  // nlohmann::json sorts object keys; the schema's order is not kept, sorted is fine.
  for (const auto& [k, _] : (*view.schema)["properties"].items()) keys.push_back(k);
  return keys;
}

}  // namespace topo::loader
