#pragma once
// Shared by the import tests: an importer's manifest loaded through the real
// loader (every import must validate), and the notes as stderr shows them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "reconciler/importers/import_result.hpp"
#include "reconciler/loader/loader.hpp"

namespace topo::testing {

// The loader's errors for `manifest` ("" when it loads clean).
inline std::string load_errors(const std::string& manifest) {
  std::random_device rd;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("topo-import-test-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "imported.yaml";
  std::ofstream(file) << manifest;
  const LoadResult r = load_manifests({file.string()});
  std::string out;
  for (const LoadError& e : r.errors) out += e.str() + "\n";
  std::filesystem::remove_all(dir);
  return out;
}

inline std::string notes_text(const importers::ImportResult& r) {
  std::string out;
  for (const importers::ImportNote& n : r.notes) out += n.str() + "\n";
  return out;
}

// The note whose key is `key` ("" when none), for tests about one key.
inline std::string note_for(const importers::ImportResult& r, const std::string& key) {
  for (const importers::ImportNote& n : r.notes)
    if (n.key == key) return n.str();
  return "";
}

// The manifest holds `line` as one whole line.
inline void expect_line(const importers::ImportResult& r, const std::string& line) {
  EXPECT_NE(("\n" + r.manifest).find("\n" + line + "\n"), std::string::npos) << "no line\n"
                                                                             << line << "\nin:\n"
                                                                             << r.manifest;
}

}  // namespace topo::testing
