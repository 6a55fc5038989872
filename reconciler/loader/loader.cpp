#include "reconciler/loader/loader.hpp"

#include <algorithm>
#include <map>

#include "reconciler/loader/defaults.hpp"
#include "reconciler/loader/file_walk.hpp"
#include "reconciler/loader/limits.hpp"
#include "reconciler/loader/schema_check.hpp"
#include "reconciler/loader/semantic_checks.hpp"
#include "reconciler/loader/yaml_json.hpp"
#include "reconciler/loader/yaml_reader.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace topo {
namespace {

// Files in the order they were read, then line and column. Errors without a
// manifest file (a missing path, the schema) come first.
void sort_in_file_order(std::vector<LoadError>& errors, const std::vector<std::string>& files) {
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < files.size(); ++i) rank.emplace(files[i], i + 1);
  auto key = [&](const LoadError& e) {
    auto it = rank.find(e.where.file);
    return std::tuple(it == rank.end() ? 0 : it->second, e.where.line, e.where.column);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const LoadError& a, const LoadError& b) { return key(a) < key(b); });
}

// Read documents to the model: the schema, then the model reader and the
// cross-object rules.
LoadResult load_documents(const std::vector<loader::YamlDocument>& docs, const std::vector<std::string>& files,
                          loader::Diagnostics& diag, const LoadOptions& options) {
  using namespace loader;
  const std::optional<SchemaChecker> schema = SchemaChecker::load(diag);

  // Shape first: the model reader and the semantic checks trust the schema.
  std::vector<const YamlDocument*> valid;
  std::string budget_file;
  std::size_t budget = 0;
  for (const YamlDocument& doc : docs) {
    if (doc.file != budget_file) {
      budget_file = doc.file;
      budget = kMaxNodesPerFile;
    }
    const std::optional<nlohmann::json> json = yaml_to_json(doc, budget, diag);
    if (json && schema && schema->check(doc, *json, diag)) valid.push_back(&doc);
  }

  RawModel raw;
  raw.cluster = options.cluster;
  if (diag.empty()) {
    for (const YamlDocument* doc : valid) read_document(*doc, raw, diag, options.default_stack);
    // Cross-object rules only make sense on a complete set of documents.
    run_semantic_checks(raw, diag);
  }

  LoadResult result;
  result.errors = std::move(diag.errors());
  sort_in_file_order(result.errors, files);
  if (result.errors.empty()) result.desired = build_desired(raw);
  return result;
}

}  // namespace

LoadResult load_manifests(const std::vector<std::string>& paths, const LoadOptions& options) {
  using namespace loader;
  Diagnostics diag;
  const std::vector<std::string> files = collect_manifest_files(paths, diag);
  if (files.empty() && diag.empty()) {
    // An empty desired state would mean "remove everything": never by accident.
    diag.error({paths.empty() ? std::string("(no path)") : paths.front(), 0, 0},
               "no manifest files found (files ending .yaml or .yml)");
  }
  std::vector<YamlDocument> docs;
  for (const std::string& file : files) read_yaml_file(file, docs, diag);
  return load_documents(docs, files, diag, options);
}

LoadResult load_manifest_text(const std::string& name, const std::string& text, const LoadOptions& options) {
  using namespace loader;
  Diagnostics diag;
  std::vector<YamlDocument> docs;
  parse_yaml_text(name, text, docs, diag);
  return load_documents(docs, {name}, diag, options);
}

}  // namespace topo
