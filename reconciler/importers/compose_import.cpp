#include "reconciler/importers/compose_import.hpp"

#include <algorithm>

#include "reconciler/importers/compose_context.hpp"
#include "reconciler/importers/manifest_writer.hpp"
#include "reconciler/importers/names.hpp"
#include "reconciler/loader/diagnostics.hpp"
#include "reconciler/loader/yaml_source.hpp"

namespace topo::importers {
namespace {

std::string project_of(const YamlInput& in, const YamlNode& root, const ComposeOptions& o) {
  if (YamlNode name = root["name"]; name.defined()) {
    const std::string p = in.text(name, "name");
    if (!valid_object_name(p))
      in.fail(name, "name", "the project name \"" + p + "\" is not a stack name (" + kNameRule + ")");
    return p;
  }
  if (!o.stack.empty()) return o.stack;
  const std::string p = project_name_from_directory(o.directory_name);
  if (p.empty() || !valid_object_name(p))
    throw ImportError({in.file(), 0, 0}, "",
                      "no project name: the file has no top-level `name:` and its directory's name \"" +
                          o.directory_name + "\" gives none; say one with --stack NAME");
  return p;
}

}  // namespace

std::string project_name_from_directory(const std::string& directory_name) {
  std::string out;
  for (char c : directory_name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) continue;
    if (out.empty() && (c == '_' || c == '-')) continue;  // compose starts a name with a letter or digit
    out += c;
  }
  return out.substr(0, 63);
}

ImportResult import_compose(const std::string& file, const std::string& text, const ComposeOptions& options) {
  std::vector<loader::YamlDocument> docs;
  loader::Diagnostics diag;
  loader::parse_yaml_text(file, text, docs, diag);
  if (!diag.empty()) {
    const LoadError& e = diag.errors().front();
    throw ImportError(e.where, "", e.message);
  }
  if (docs.empty()) throw ImportError({file, 0, 0}, "", "the file holds no compose document");
  if (docs.size() > 1) throw ImportError({file, 0, 0}, "", "the file holds several YAML documents; compose reads one");

  ImportResult result;
  YamlInput in(file, result.notes);
  const YamlNode root = docs.front().root;
  if (!root.is_map()) in.fail(root, "", "a compose file is a mapping (services, networks, ...)");

  OutManifest m;
  ComposeContext ctx{in, project_of(in, root, options), m, {}};
  m.stack = ctx.project;
  read_compose_networks(ctx, root["networks"]);
  YamlNode services;
  for (const auto& [k, v] : root.entries()) {
    const std::string key = in.text(k, "");
    if (key == "services")
      services = v;
    else if (key == "name" || key == "networks")
      continue;
    else if (key == "version")
      in.note(k, key, "not carried over: obsolete in compose too");
    else if (key == "volumes" || key == "secrets" || key == "configs" || key == "models")
      in.note(k, key, "not carried over: topo wires networks only");
    else if (key == "include")
      in.note(k, key, "not carried over: import each included file on its own");
    else if (key.rfind("x-", 0) == 0)
      in.note(k, key, "not carried over: an extension field");
    else
      in.fail(k, key, "not a top-level key of a compose file");
  }
  if (!services.defined()) in.fail(root, "services", "a compose file needs `services`");
  read_compose_services(ctx, services);
  add_default_network(ctx);
  drop_unused_networks(ctx);
  give_bridges_distinct_names(m);

  std::stable_sort(result.notes.begin(), result.notes.end(), [](const ImportNote& a, const ImportNote& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  result.stack = m.stack;
  result.file_name = m.stack + ".yaml";
  result.manifest =
      write_manifest(m, "topo import compose " + file + "\n" + "Notes on what is not carried over go to stderr.");
  return result;
}

}  // namespace topo::importers
