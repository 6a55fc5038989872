#include "reconciler/importers/yaml_emitter.hpp"

#include <stdexcept>

#include "reconciler/loader/yaml_json.hpp"

namespace topo::importers {
namespace {

yaml_char_t* chars(const std::string& s) { return reinterpret_cast<yaml_char_t*>(const_cast<char*>(s.c_str())); }

// YAML 1.1 readers (PyYAML, older tools) take these plain words as booleans;
// quoting them keeps the manifest one meaning for every reader.
bool yaml11_boolean(const std::string& t) {
  static const char* const words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                      "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (const char* w : words)
    if (t == w) return true;
  return false;
}

// Characters that may keep a scalar from being plain somewhere (in a flow
// list, at its start): libyaml would then pick single quotes; double quotes
// are what the README's manifests use.
bool needs_quotes(const std::string& t) {
  return t.find_first_of(":,[]{}#&*!|>'\"%@`") != std::string::npos || t.front() == ' ' || t.back() == ' ' ||
         t.front() == '-' || t.front() == '?';
}

}  // namespace

YamlEmitter::YamlEmitter() : emitter_(std::make_unique<yaml_emitter_t>()) {
  if (!yaml_emitter_initialize(emitter_.get())) throw std::runtime_error("libyaml: cannot initialise the emitter");
  yaml_emitter_set_output(emitter_.get(), &YamlEmitter::write, this);
  yaml_emitter_set_unicode(emitter_.get(), 1);
  yaml_emitter_set_width(emitter_.get(), -1);  // no folding of long flow lines
  yaml_emitter_set_indent(emitter_.get(), 2);
  yaml_event_t e;
  yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
  emit(e, "stream start");
}

YamlEmitter::~YamlEmitter() { yaml_emitter_delete(emitter_.get()); }

int YamlEmitter::write(void* self, unsigned char* buffer, size_t size) {
  static_cast<YamlEmitter*>(self)->out_.append(reinterpret_cast<const char*>(buffer), size);
  return 1;
}

void YamlEmitter::emit(yaml_event_t& event, const char* what) {
  if (!yaml_emitter_emit(emitter_.get(), &event))
    throw std::runtime_error(std::string("libyaml refused to write ") + what + ": " +
                             (emitter_->problem ? emitter_->problem : "unknown problem"));
}

void YamlEmitter::begin_document() {
  yaml_event_t e;
  yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
  emit(e, "document start");
}

void YamlEmitter::end_document() {
  yaml_event_t e;
  yaml_document_end_event_initialize(&e, 1);
  emit(e, "document end");
  yaml_stream_end_event_initialize(&e);
  emit(e, "stream end");
  yaml_emitter_flush(emitter_.get());
}

void YamlEmitter::begin_map(bool flow) {
  yaml_event_t e;
  yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1,
                                      flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
  emit(e, "mapping");
}

void YamlEmitter::end_map() {
  yaml_event_t e;
  yaml_mapping_end_event_initialize(&e);
  emit(e, "mapping end");
}

void YamlEmitter::begin_list(bool flow) {
  yaml_event_t e;
  yaml_sequence_start_event_initialize(&e, nullptr, nullptr, 1,
                                       flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
  emit(e, "sequence");
}

void YamlEmitter::end_list() {
  yaml_event_t e;
  yaml_sequence_end_event_initialize(&e);
  emit(e, "sequence end");
}

void YamlEmitter::string(const std::string& text) {
  const bool plain_reads_back = !text.empty() && loader::plain_scalar_kind(text) == loader::ScalarKind::String &&
                                !yaml11_boolean(text) && !needs_quotes(text);
  yaml_event_t e;
  // plain_implicit 1 lets libyaml write it plain when its own analysis allows
  // (no ": ", no leading indicator); it quotes otherwise.
  yaml_scalar_event_initialize(&e, nullptr, nullptr, chars(text), static_cast<int>(text.size()),
                               plain_reads_back ? 1 : 0, 1,
                               plain_reads_back ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
  emit(e, "scalar");
}

void YamlEmitter::plain(const std::string& text) {
  yaml_event_t e;
  yaml_scalar_event_initialize(&e, nullptr, nullptr, chars(text), static_cast<int>(text.size()), 1, 0,
                               YAML_PLAIN_SCALAR_STYLE);
  emit(e, "scalar");
}

}  // namespace topo::importers
