#pragma once
// Golden files shared by the golden tests: a file's whole text, and the
// comparison with UPDATE_GOLDEN=1 rewriting the golden from the current
// output (for review in the diff) before comparing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace topo::testing {

// "" when the file is missing: the comparison then fails on the text.
inline std::string read_file_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool updating_goldens() { return std::getenv("UPDATE_GOLDEN") != nullptr; }

// Compares `got` with the golden `file`; under UPDATE_GOLDEN=1 writes it
// first (creating its folder), so the comparison then passes and git shows
// what changed.
inline void expect_matches_golden(const std::string& got, const std::filesystem::path& file) {
  if (updating_goldens()) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << got;
  }
  ASSERT_TRUE(std::filesystem::exists(file)) << file << " is missing; UPDATE_GOLDEN=1 writes it";
  EXPECT_EQ(got, read_file_text(file)) << file;
}

}  // namespace topo::testing
