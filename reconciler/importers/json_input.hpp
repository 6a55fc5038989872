#pragma once
// Reading a source JSON file (`docker inspect` output, a CNI config) for an
// importer. nlohmann::json keeps no positions, so errors and notes name the
// file and the key's path ("[0].IPAM.Config[1].Subnet"); a syntax error also
// names its line and column.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reconciler/importers/import_result.hpp"

namespace topo::importers {

using Json = nlohmann::json;

class JsonInput {
 public:
  JsonInput(std::string file, std::vector<ImportNote>& notes) : file_(std::move(file)), notes_(notes) {}

  const std::string& file() const { return file_; }
  // The whole text; a syntax error is an ImportError at its line and column.
  Json parse(const std::string& text) const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  void note(const std::string& key, const std::string& why) const;

  // obj[name] as a string: "" when absent or null; an error for another type.
  std::string string(const Json& obj, const char* name, const std::string& path) const;
  // obj[name] as a boolean: false when absent or null.
  bool boolean(const Json& obj, const char* name, const std::string& path) const;
  // obj[name] when it is an object (an empty one when absent or null).
  const Json& object(const Json& obj, const char* name, const std::string& path) const;
  // obj[name] when it is an array (an empty one when absent or null).
  const Json& array(const Json& obj, const char* name, const std::string& path) const;
  // A list of strings.
  std::vector<std::string> strings(const Json& obj, const char* name, const std::string& path) const;

 private:
  std::string file_;
  std::vector<ImportNote>& notes_;
};

// "a.b" joined as a path, "" + "Name" -> "Name".
std::string json_path(const std::string& base, const std::string& name);

}  // namespace topo::importers
