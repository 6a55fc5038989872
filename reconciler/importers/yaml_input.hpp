#pragma once
// Reading a source YAML file (a compose file) for an importer: positions
// turned into file:line:col, the shapes compose allows for one key (a string
// or a list of them; a list of "k=v" or a mapping), and the two ways out of
// any key: an ImportError, or a note that it is not carried over.
#include <string>
#include <utility>
#include <vector>

#include "reconciler/importers/import_result.hpp"
#include "reconciler/loader/yaml_tree.hpp"

namespace topo::importers {

using loader::YamlNode;

class YamlInput {
 public:
  YamlInput(std::string file, std::vector<ImportNote>& notes) : file_(std::move(file)), notes_(notes) {}

  const std::string& file() const { return file_; }
  SourceLocation at(const YamlNode& node) const;
  [[noreturn]] void fail(const YamlNode& node, const std::string& key, const std::string& message) const;
  void note(const YamlNode& node, const std::string& key, const std::string& why) const;

  // The mapping at `node`; an error naming `key` for anything else. A null
  // (`frontend:` with nothing after it) reads as an empty mapping.
  std::vector<std::pair<YamlNode, YamlNode>> map(const YamlNode& node, const std::string& key) const;
  // The text of a scalar (a string or a number); an error for a list, a mapping or null.
  std::string text(const YamlNode& node, const std::string& key) const;
  // true/false, also written as the strings "true"/"false" (driver_opts are strings).
  bool boolean(const YamlNode& node, const std::string& key) const;
  // An integer in [lo, hi].
  int integer(const YamlNode& node, const std::string& key, int lo, int hi) const;
  // The same of text already read (a "k=v" item); errors point at `node`.
  bool boolean_text(const YamlNode& node, const std::string& key, const std::string& text) const;
  int integer_text(const YamlNode& node, const std::string& key, const std::string& text, int lo, int hi) const;
  // One string or a list of them.
  std::vector<std::pair<YamlNode, std::string>> texts(const YamlNode& node, const std::string& key) const;
  // A list of "k<sep>v" strings or a mapping: (node, key, value) in file
  // order; a list item without the separator is an error.
  struct KeyValue {
    YamlNode node;
    std::string key, value;
    bool value_is_text = true;  // false: a plain number or boolean in map form
  };
  std::vector<KeyValue> key_values(const YamlNode& node, const std::string& key, const std::string& seps) const;

 private:
  std::string file_;
  std::vector<ImportNote>& notes_;
};

}  // namespace topo::importers
