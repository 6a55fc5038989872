#pragma once
// What every importer hands back: the manifest text and the notes on what the
// source said that topo does not carry over. Nothing is dropped without a
// note, so a user reading stderr knows what is left to do by hand.
#include <stdexcept>
#include <string>
#include <vector>

#include "reconciler/model/source_location.hpp"

namespace topo::importers {

// Something of the source that has no topo equivalent (or only part of one).
struct ImportNote {
  SourceLocation where;  // the source file, and its line when the format has lines
  std::string key;       // the key's path in the source: "services.web.volumes"
  std::string why;       // what happened to it, and why
  std::string str() const { return "note: " + where.str() + ": " + key + ": " + why; }
};

struct ImportResult {
  std::string stack;              // the stack the manifest declares ("" = none written)
  std::string file_name;          // what `--out DIR` names the file: "<stack>.yaml" or after the source
  std::string manifest;           // one YAML document
  std::vector<ImportNote> notes;  // in source order
};

// Input that cannot be imported: not the expected shape, a value that does
// not parse. Names the file, the line where known, and the key.
struct ImportError : std::runtime_error {
  SourceLocation where;
  std::string key;
  ImportError(SourceLocation w, std::string k, const std::string& message)
      : std::runtime_error(w.str() + ": " + (k.empty() ? "" : k + ": ") + message),
        where(std::move(w)),
        key(std::move(k)) {}
};

}  // namespace topo::importers
