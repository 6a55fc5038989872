#pragma once
// Shared fixture for the loader tests: manifests written to a fresh temp dir,
// errors printed relative to it ("a.yaml:3:5: ...") so tests read like the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "reconciler/loader/loader.hpp"

namespace topo::testing {

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("topo-loader-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string write(const std::string& rel, const std::string& text) {
    const std::filesystem::path p = dir_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }

  LoadResult load(const std::vector<std::string>& rel_paths) {
    std::vector<std::string> paths;
    for (const std::string& r : rel_paths) paths.push_back(path(r));
    return load_manifests(paths);
  }
  // One file holding `text`.
  LoadResult load_text(const std::string& text) {
    write("a.yaml", text);
    return load({"a.yaml"});
  }

  std::string rel(const std::string& s) const {
    std::string out = s;
    const std::string prefix = dir_.string() + "/";
    for (std::size_t pos; (pos = out.find(prefix)) != std::string::npos;) out.erase(pos, prefix.size());
    return out;
  }
  std::vector<std::string> errors(const LoadResult& r) const {
    std::vector<std::string> out;
    for (const LoadError& e : r.errors) out.push_back(rel(e.str()));
    return out;
  }
  std::string dump(const LoadResult& r) const {
    std::string out;
    for (const std::string& e : errors(r)) out += "  " + e + "\n";
    return out.empty() ? "  (no errors)\n" : out;
  }
  // The one error expected, starting with `location` ("a.yaml:3:5") and containing `gist`.
  void expect_single_error(const LoadResult& r, const std::string& location, const std::string& gist) {
    ASSERT_EQ(r.errors.size(), 1u) << dump(r);
    expect_error(r, location, gist);
  }
  void expect_error(const LoadResult& r, const std::string& location, const std::string& gist) {
    for (const std::string& e : errors(r)) {
      if (e.rfind(location + ": ", 0) == 0 && e.find(gist) != std::string::npos) return;
    }
    ADD_FAILURE() << "no error at " << location << " containing \"" << gist << "\"; got:\n" << dump(r);
  }

  std::filesystem::path dir_;
};

}  // namespace topo::testing
