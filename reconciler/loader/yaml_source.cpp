#include "reconciler/loader/yaml_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reconciler/loader/limits.hpp"

namespace topo::loader {

void parse_yaml_text(const std::string& file, const std::string& text, std::vector<YamlDocument>& out,
                     Diagnostics& diag) {
  std::vector<YAML::Node> docs;
  try {
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
