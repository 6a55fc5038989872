#include "reconciler/loader/yaml_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "reconciler/loader/limits.hpp"

namespace topo::loader {
namespace {

// Walks the documents without building nodes. yaml-cpp 0.7 (Debian 12's)
// never stops on some malformed input, e.g. a ',' outside [ ] or { }
// (jbeder/yaml-cpp#1040, fixed upstream after 0.7): LoadAll yields empty
// documents until memory runs out. Counting them first bounds that.
class DocumentCounter : public YAML::EventHandler {
 public:
  YAML::Mark last;  // of the last event that carries one
  void OnDocumentStart(const YAML::Mark& m) override { last = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { last = m; }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { last = m; }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { last = m; }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    last = m;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    last = m;
  }
  void OnMapEnd() override {}
};

// False (with an error) when the file holds more documents than any
// manifest would, which is how the parser's endless loop shows.
bool documents_bounded(const std::string& file, const std::string& text, Diagnostics& diag) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  for (std::size_t n = 0; parser.HandleNextDocument(counter);)
    if (++n > kMaxDocumentsPerFile) {
      const bool known = counter.last.line >= 0;
      diag.error({file, known ? counter.last.line + 1 : 0, known ? counter.last.column + 1 : 0},
                 "invalid YAML: more than " + std::to_string(kMaxDocumentsPerFile) +
                     " documents, or a stray ',' outside [ ] or { } here");
      return false;
    }
  return true;
}

// The first byte that breaks UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF included), or npos. YAML text is Unicode; yaml-cpp
// passes any bytes through, and valijson's length checks read past the end
// of a truncated sequence (found by the fuzzer).
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
  std::vector<YAML::Node> docs;
  try {
    if (!documents_bounded(file, text, diag)) return;
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    // e.mark is 0-based; -1 when yaml-cpp does not know.
    const bool known = e.mark.line >= 0;
    diag.error({file, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0},
               "invalid YAML: " + e.msg);
    return;
  }
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;  // an empty document or one holding only comments
    out.push_back(YamlDocument{file, static_cast<int>(i), docs[i]});
  }
}

void read_yaml_file(const std::string& file, std::vector<YamlDocument>& out, Diagnostics& diag) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diag.error({file, 0, 0}, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  // Read at most one byte past the bound so a huge file (or an endless one such
  // as /dev/zero) is refused without being read whole.
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    diag.error({file, 0, 0}, "read error");
    return;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes) {
    diag.error({file, 0, 0}, "file is larger than " + std::to_string(kMaxFileBytes >> 20) +
                                 " MiB; manifests that big are refused");
    return;
  }
  parse_yaml_text(file, text, out, diag);
}

}  // namespace topo::loader
