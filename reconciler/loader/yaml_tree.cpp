#include "reconciler/loader/yaml_tree.hpp"

namespace topo::loader {
namespace {

const std::string kNoText;
const std::vector<YamlNode> kNoItems;
const std::vector<std::pair<YamlNode, YamlNode>> kNoEntries;

}  // namespace

YamlKind YamlNode::kind() const { return data_ ? data_->kind : YamlKind::Undefined; }

const std::string& YamlNode::scalar() const { return data_ && data_->kind == YamlKind::Scalar ? data_->text : kNoText; }

const std::string& YamlNode::tag() const { return data_ ? data_->tag : kNoText; }

YamlMark YamlNode::mark() const { return data_ ? data_->mark : YamlMark{}; }

const std::vector<YamlNode>& YamlNode::items() const {
  return data_ && data_->kind == YamlKind::Sequence ? data_->items : kNoItems;
}

const std::vector<std::pair<YamlNode, YamlNode>>& YamlNode::entries() const {
  return data_ && data_->kind == YamlKind::Map ? data_->entries : kNoEntries;
}

std::size_t YamlNode::size() const {
  if (is_sequence()) return data_->items.size();
  if (is_map()) return data_->entries.size();
  return 0;
}

YamlNode YamlNode::operator[](std::size_t index) const {
  const std::vector<YamlNode>& all = items();
  return index < all.size() ? all[index] : YamlNode();
}

YamlNode YamlNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries())
    if (k.is_scalar() && k.scalar() == key) return v;
  return YamlNode();
}

YamlNode YamlNode::key(std::string_view key) const {
  for (const auto& [k, v] : entries())
    if (k.is_scalar() && k.scalar() == key) return k;
  return YamlNode();
}

}  // namespace topo::loader
