// libFuzzer target over the loader and its validation (YAML parse, limits,
// JSON Schema, semantic checks, defaults). The loader reads files, so each
// input is written to one temp .yaml file per process; the loader is not
// restructured for the fuzzer. Any crash, sanitizer report or uncaught
// exception is a bug: bad input must come back as LoadErrors.
// Run through scripts/fuzz.sh (README "Reliability").
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "reconciler/loader/loader.hpp"

namespace {

struct TempManifest {
  std::string path;
  TempManifest() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/topo-fuzz-XXXXXX.yaml";
    int fd = mkstemps(tmpl.data(), 5);
    if (fd < 0) {
      std::perror("topo_fuzz_loader: mkstemps");
      std::abort();
    }
    close(fd);
    path = tmpl;
  }
  ~TempManifest() { unlink(path.c_str()); }
};

TempManifest& manifest() {
  static TempManifest m;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = manifest().path;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  // TOPO_FUZZ_KEEP_LAST=path: each input is also copied there first, so an
  // input that hangs the process or exhausts memory before libFuzzer can
  // write its artifact is still found.
  if (const char* keep = std::getenv("TOPO_FUZZ_KEEP_LAST")) {
    if (std::FILE* k = std::fopen(keep, "wb")) {
      if (size) std::fwrite(data, 1, size, k);
      std::fclose(k);
    }
  }
  topo::LoadResult r = topo::load_manifests({path});
  // Touch the results so a bad error location or model is read, not skipped.
  std::size_t n = 0;
  for (const auto& e : r.errors) n += e.str().size();
  if (r.ok()) n += r.desired.networks.size() + r.desired.containers.size();
  return n == static_cast<std::size_t>(-1) ? 1 : 0;
}
