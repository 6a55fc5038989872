#include "reconciler/loader/schema_check.hpp"

#include <set>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "reconciler/loader/builtin_schema.hpp"
#include "reconciler/loader/schema_lookup.hpp"
#include "reconciler/loader/schema_messages.hpp"
#include "reconciler/loader/yaml_path.hpp"

namespace topo::loader {

std::optional<SchemaChecker> SchemaChecker::load(Diagnostics& diag) {
  // Parsing the schema costs more than checking a manifest; the watcher loads
  // on every pass and the fuzzer on every input. The text never changes, so
  // once is enough (thread-safe static initialisation).
  static std::string error;
  static const std::optional<SchemaChecker> checker = parse(error);
  if (!checker) diag.error({"(built-in manifest schema)", 0, 0}, "the manifest schema is broken: " + error);
  return checker;
}

std::optional<SchemaChecker> SchemaChecker::parse(std::string& error) {
  SchemaChecker checker;
  try {
    checker.schema_json_ = nlohmann::json::parse(builtin_schema_text());
    checker.schema_ = std::make_shared<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(checker.schema_json_);
    parser.populateSchema(adapter, *checker.schema_);
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
  return checker;
}

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// valijson reports a failure at every level on the way down ("Failed to
// validate item #0", "...property name 'mtu'"); only the leaves say anything.
bool is_chain_error(const std::string& d) {
  return starts_with(d, "Failed to validate item #") || starts_with(d, "Cannot validate item #") ||
         starts_with(d, "Failed to validate against schema associated with") ||
         starts_with(d, "Failed to validate against any") ||
         starts_with(d, "Failed to validate against a conditional") ||
         starts_with(d, "Failed to validate against additional properties") ||
         starts_with(d, "Failed to validate against exactly one");
}

bool is_unknown_key_error(const std::string& d) { return starts_with(d, "Object contains a property"); }

std::string missing_key_of(const std::string& d) {
  const std::string prefix = "Missing required property '";
  if (!starts_with(d, prefix.c_str())) return "";
  const std::size_t end = d.find('\'', prefix.size());
  return end == std::string::npos ? "" : d.substr(prefix.size(), end - prefix.size());
}

}  // namespace

bool SchemaChecker::check(const YamlDocument& doc, const nlohmann::json& data, Diagnostics& diag) const {
  valijson::ValidationResults results;
  try {
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::adapters::NlohmannJsonAdapter target(data);
    if (validator.validate(*schema_, target, &results)) return true;
  } catch (const std::exception& e) {
    diag.error(location_of(doc.file, doc.root), std::string("schema validation failed: ") + e.what());
    return false;
  }

  const std::size_t before = diag.size();
  std::set<std::string> reported;  // one message per node for constraint errors
  valijson::ValidationResults::Error err;
  while (results.popError(err)) {
    const std::string& d = err.description;
    if (is_chain_error(d)) continue;
    const NodePath path = path_from_context(err.context, doc.root);
    YamlNode node = node_at(doc.root, path);
    if (node.is_null() && !path.empty() && path.back().index < 0) {
      // `key:` with nothing after it: the empty value has no place of its
      // own (the parser marks it wherever the next token starts); the key is
      // where the reader looks.
      NodePath parent(path.begin(), path.end() - 1);
      node = key_node(node_at(doc.root, parent), path.back().key);
    }
    const std::string where = path_text(path);

    if (is_unknown_key_error(d)) {
      // valijson names only the first unknown key; report them all.
      if (!reported.insert("keys:" + where).second) continue;
      const SchemaView view = schema_at(schema_json_, data, path);
      const std::vector<std::string> allowed = allowed_keys(schema_json_, view);
      const std::set<std::string> allowed_set(allowed.begin(), allowed.end());
      for (const auto& [k, v] : node.entries()) {
        if (!k.is_scalar() || allowed_set.count(k.scalar())) continue;
        diag.error(location_of(doc.file, k), unknown_key_message(where, k.scalar(), allowed));
      }
      continue;
    }
    if (const std::string key = missing_key_of(d); !key.empty()) {
      diag.error(location_of(doc.file, node), missing_key_message(where, key));
      continue;
    }
    if (!reported.insert(where).second) continue;
    const SchemaView view = schema_at(schema_json_, data, path);
    diag.error(location_of(doc.file, node), expected_message(where, view, data_at(data, path), node.scalar()));
  }
  if (diag.size() == before) {
    // Validation failed but nothing specific came out: still never pass silently.
    diag.error(location_of(doc.file, doc.root), "document does not match the manifest schema");
  }
  return false;
}

}  // namespace topo::loader
