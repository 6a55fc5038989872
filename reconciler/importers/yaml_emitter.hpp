#pragma once
// A small owner of libyaml's emitter writing into a std::string, and the
// handful of events a manifest needs. Each event is emitted (and so freed by
// libyaml) at once; a refused event throws with libyaml's reason.
#include <yaml.h>

#include <memory>
#include <string>

namespace topo::importers {

class YamlEmitter {
 public:
  YamlEmitter();
  ~YamlEmitter();
  YamlEmitter(const YamlEmitter&) = delete;
  YamlEmitter& operator=(const YamlEmitter&) = delete;

  void begin_document();
  void end_document();
  void begin_map(bool flow = false);
  void end_map();
  void begin_list(bool flow = false);
  void end_list();
  // A string: plain when the loader reads it back as that string and it holds
  // no YAML indicator, else double-quoted.
  void string(const std::string& text);
  // A number or boolean, written plain.
  void plain(const std::string& text);

  // The text so far; complete after end_document().
  const std::string& text() const { return out_; }

 private:
  void emit(yaml_event_t& event, const char* what);
  static int write(void* self, unsigned char* buffer, size_t size);

  std::unique_ptr<yaml_emitter_t> emitter_;
  std::string out_;
};

}  // namespace topo::importers
