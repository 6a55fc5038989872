#include "reconciler/loader/yaml_source.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include <yaml.h>

#include "reconciler/fsutil/bounded_read.hpp"
#include "reconciler/loader/limits.hpp"

namespace topo::loader {
namespace {

// libyaml's parser and event, released however the parse ends.
struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() { yaml_parser_delete(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};
struct Event {
  yaml_event_t e{};
  ~Event() { yaml_event_delete(&e); }
};

// The text, handed to the parser a little at a time. libyaml's scanner
// costs O(tokens x open [ and {) (every token re-checks the pending simple
// key of each flow level), so 100 000 '[' took 23 s. Between pieces the
// flow level is looked at, and deep nesting stops the parse early.
struct Input {
  const std::string& text;
  const yaml_parser_t& parser;
  std::size_t offset = 0;
  bool too_deep = false;
};

int read_bounded(void* data, unsigned char* buffer, std::size_t size, std::size_t* size_read) {
  auto* in = static_cast<Input*>(data);
  if (in->parser.flow_level > kMaxDepth) {
    in->too_deep = true;
    return 0;  // the parse fails with a reader error, reported as nesting
  }
  const std::size_t n = std::min({size, in->text.size() - in->offset, std::size_t{1024}});
  std::memcpy(buffer, in->text.data() + in->offset, n);
  in->offset += n;
  *size_read = n;
  return 1;
}

bool is_null_text(const char* t, std::size_t n) {
  const std::string_view v(t, n);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// Builds each document's tree from the parser's events. Anchors are known
// only once their node is complete, so an alias can never refer to a node
// that contains it: the tree has no cycles.
class Builder {
 public:
  Builder(const std::string& file, std::shared_ptr<YamlTree> tree, Diagnostics& diag)
      : file_(file), tree_(std::move(tree)), diag_(diag) {}

  // False (with an error) when the document cannot be built.
  bool on(const yaml_event_t& e, std::vector<YamlDocument>& out) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (static_cast<std::size_t>(++documents_) > kMaxDocumentsPerFile) {
          diag_.error(at(e.start_mark), "more than " + std::to_string(kMaxDocumentsPerFile) + " YAML documents in one file");
          return false;
        }
        anchors_.clear();
        root_ = YamlNode();
        return true;
      case YAML_DOCUMENT_END_EVENT:
        // An empty document, or one holding only comments, is skipped.
        if (root_.defined() && !root_.is_null()) out.push_back(YamlDocument{file_, documents_ - 1, tree_, root_});
        return true;
      case YAML_ALIAS_EVENT: {
        const char* name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          diag_.error(at(e.start_mark), std::string("invalid YAML: alias *") + name +
                                            " names no anchor before it (or the node that holds it)");
          return false;
        }
        add(it->second);
        return true;
      }
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        YamlNodeData& d = make(e.start_mark);
        const char* text = reinterpret_cast<const char*>(s.value);
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        if (s.tag) d.tag = reinterpret_cast<const char*>(s.tag);
        else d.tag = plain ? "?" : "!";
        d.kind = plain && !s.tag && is_null_text(text, s.length) ? YamlKind::Null : YamlKind::Scalar;
        if (d.kind == YamlKind::Scalar) d.text.assign(text, s.length);
        finish(d, s.anchor);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool seq = e.type == YAML_SEQUENCE_START_EVENT;
        // Stopped here rather than by the walkers: a file of "- - - ..."
        // would otherwise build a tree two million levels deep first.
        if (open_.size() > static_cast<std::size_t>(kMaxDepth)) {
          diag_.error(at(e.start_mark), "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
          return false;
        }
        YamlNodeData& d = make(e.start_mark);
        d.kind = seq ? YamlKind::Sequence : YamlKind::Map;
        const yaml_char_t* tag = seq ? e.data.sequence_start.tag : e.data.mapping_start.tag;
        const yaml_char_t* anchor = seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
        d.tag = tag ? reinterpret_cast<const char*>(tag) : "?";
        open_.push_back({&d, anchor ? reinterpret_cast<const char*>(anchor) : std::string(), YamlNode()});
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open o = std::move(open_.back());
        open_.pop_back();
        if (!o.anchor.empty()) anchors_[o.anchor] = YamlNode(o.node);
        add(YamlNode(o.node));
        return true;
      }
      default:
        return true;
    }
  }

 private:
  struct Open {
    YamlNodeData* node;
    std::string anchor;
    YamlNode key;  // a mapping's key waiting for its value
  };

  SourceLocation at(const yaml_mark_t& m) const {
    return {file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  }

  YamlNodeData& make(const yaml_mark_t& m) {
    YamlNodeData& d = tree_->nodes.emplace_back();
    d.mark = {static_cast<int>(m.line), static_cast<int>(m.column)};
    return d;
  }

  void finish(YamlNodeData& d, const yaml_char_t* anchor) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = YamlNode(&d);
    add(YamlNode(&d));
  }

  // Places a complete node in the collection being built, or as the root.
  void add(YamlNode node) {
    if (open_.empty()) {
      root_ = node;
      return;
    }
    Open& o = open_.back();
    if (o.node->kind == YamlKind::Sequence) {
      o.node->items.push_back(node);
    } else if (!o.key.defined()) {
      o.key = node;
    } else {
      o.node->entries.emplace_back(o.key, node);
      o.key = YamlNode();
    }
  }

  const std::string& file_;
  std::shared_ptr<YamlTree> tree_;
  Diagnostics& diag_;
  std::vector<Open> open_;
  std::unordered_map<std::string, YamlNode> anchors_;
  YamlNode root_;
  int documents_ = 0;
};

// The first byte that breaks UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF included), or npos. YAML text is Unicode, and
// valijson's length checks read past the end of a truncated sequence (found
// by the fuzzer). Checked here rather than left to the parser so that the
// error points at the very byte.
std::size_t first_invalid_utf8(const std::string& text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) len = 1;
    else if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char b = p[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += len;
  }
  return std::string::npos;
}

}  // namespace

void parse_yaml_text(const std::string& file, const std::string& text, std::vector<YamlDocument>& out,
                     Diagnostics& diag) {
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string::npos) {
    const std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n'));
    const int col = 1 + static_cast<int>(line_start == std::string::npos || bad == 0 ? bad : bad - line_start - 1);
    diag.error({file, line, col}, "not valid UTF-8 text (YAML files are Unicode)");
    return;
  }
  auto tree = std::make_shared<YamlTree>();
  std::vector<YamlDocument> docs;
  Builder builder(file, tree, diag);
  Parser parser;
  Input input{text, parser.p};
  yaml_parser_set_input(&parser.p, read_bounded, &input);
  for (;;) {
    Event event;
    if (!yaml_parser_parse(&parser.p, &event.e)) {
      const yaml_parser_t& p = parser.p;
      if (input.too_deep) {
        diag.error({file, static_cast<int>(p.mark.line) + 1, static_cast<int>(p.mark.column) + 1},
                   "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
        return;
      }
      std::string what = p.problem ? p.problem : "cannot be parsed";
      if (p.context) what += std::string(" ") + p.context;
      diag.error({file, static_cast<int>(p.problem_mark.line) + 1, static_cast<int>(p.problem_mark.column) + 1},
                 "invalid YAML: " + what);
      return;
    }
    if (!builder.on(event.e, docs)) return;
    if (event.e.type == YAML_STREAM_END_EVENT) break;
  }
  for (YamlDocument& d : docs) out.push_back(std::move(d));
}

void read_yaml_file(const std::string& file, std::vector<YamlDocument>& out, Diagnostics& diag) {
  const fsutil::BoundedRead r = fsutil::read_bounded(file, kMaxFileBytes);
  if (r.too_large) {
    diag.error({file, 0, 0}, "file is larger than " + std::to_string(kMaxFileBytes >> 20) +
                                 " MiB; manifests that big are refused");
    return;
  }
  if (!r.text) {
    diag.error({file, 0, 0}, r.error);
    return;
  }
  parse_yaml_text(file, *r.text, out, diag);
}

}  // namespace topo::loader
