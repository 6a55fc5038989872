#pragma once
// A parsed YAML document as a small read-only tree: what the loader needs of
// YAML (kinds, text, tags, positions) and nothing more. Built from libyaml's
// events (yaml_source.cpp), which is about twenty times cheaper than building
// yaml-cpp's node graph: at 1000 containers that graph was a quarter of a
// no-op plan.
//
// Nodes live in the tree's arena and are handed out as YamlNode, a pointer
// that is cheap to copy. An alias is the node its anchor names (shared, not
// copied), so a "billion laughs" file stays small in memory; walkers bound
// the expansion themselves (limits.hpp).
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace topo::loader {

enum class YamlKind : unsigned char {
  Undefined,  // a missing key or index; never stored in a tree
  Null,       // ~, null, or nothing at all, unquoted and untagged
  Scalar,
  Sequence,
  Map,
};

// 0-based, as libyaml counts; -1 when unknown.
struct YamlMark {
  int line = -1;
  int column = -1;
};

struct YamlNodeData;

class YamlNode {
 public:
  YamlNode() = default;
  explicit YamlNode(const YamlNodeData* data) : data_(data) {}

  YamlKind kind() const;
  bool defined() const { return data_ != nullptr; }
  bool is_null() const { return kind() == YamlKind::Null; }
  bool is_scalar() const { return kind() == YamlKind::Scalar; }
  bool is_sequence() const { return kind() == YamlKind::Sequence; }
  bool is_map() const { return kind() == YamlKind::Map; }

  // The text of a scalar ("" for anything else, and for null).
  const std::string& scalar() const;
  // "?" for a plain node without a tag, "!" for a quoted scalar without one,
  // else the resolved tag ("tag:yaml.org,2002:str" for !!str).
  const std::string& tag() const;
  YamlMark mark() const;

  // A sequence's items, a mapping's (key, value) pairs in file order; empty
  // for anything else.
  const std::vector<YamlNode>& items() const;
  const std::vector<std::pair<YamlNode, YamlNode>>& entries() const;
  std::size_t size() const;

  // Undefined when out of range, missing, or not a sequence / mapping.
  YamlNode operator[](std::size_t index) const;
  // The value of the first scalar key equal to `key`.
  YamlNode operator[](std::string_view key) const;
  // The key node itself, for errors about a key.
  YamlNode key(std::string_view key) const;

  bool same(const YamlNode& other) const { return data_ == other.data_; }

 private:
  const YamlNodeData* data_ = nullptr;
};

struct YamlNodeData {
  YamlKind kind = YamlKind::Null;
  YamlMark mark;
  std::string tag;
  std::string text;
  std::vector<YamlNode> items;
  std::vector<std::pair<YamlNode, YamlNode>> entries;
};

// The arena of one file's documents. A deque: nodes never move once made.
struct YamlTree {
  std::deque<YamlNodeData> nodes;
};

}  // namespace topo::loader
