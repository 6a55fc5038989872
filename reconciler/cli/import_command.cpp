#include "reconciler/cli/import_command.hpp"

#include <filesystem>
#include <iostream>

#include "reconciler/fsutil/bounded_read.hpp"
#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/importers/cni_import.hpp"
#include "reconciler/importers/compose_import.hpp"
#include "reconciler/importers/docker_import.hpp"
#include "reconciler/kernel_interface/kernel.hpp"
#include "reconciler/loader/loader.hpp"

namespace topo::cli {
namespace {

// Compose files and inspect outputs are small; a bound keeps /dev/zero out.
constexpr std::size_t kMaxInputBytes = 16u << 20;

std::string read_input(const std::string& file) {
  fsutil::BoundedRead r = fsutil::read_bounded(file, kMaxInputBytes);
  if (r.too_large) throw importers::ImportError({file, 0, 0}, "", "larger than 16 MiB");
  if (!r.text) throw importers::ImportError({file, 0, 0}, "", r.error);
  return std::move(*r.text);
}

// Compose's fallback project name comes from the file's directory.
std::string directory_name_of(const std::string& file) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  if (ec) return "";
  return dir.filename().string();
}

importers::ImportResult run(const Options& o, const ImportRequest& r) {
  if (r.kind == "compose")
    return importers::import_compose(r.files.front(), read_input(r.files.front()),
                                     {o.stack, directory_name_of(r.files.front())});
  if (r.kind == "cni") return importers::import_cni(r.files.front(), read_input(r.files.front()), o.stack);
  std::vector<importers::SourceText> inputs;
  for (const std::string& f : r.files) inputs.push_back({f, read_input(f)});
  return importers::import_docker(inputs, o.stack);
}

}  // namespace

int cmd_import(const Options& o, const ImportRequest& r) {
  importers::ImportResult result;
  try {
    result = run(o, r);
  } catch (const importers::ImportError& e) {
    std::cerr << "Error: " << e.what() << "\nnothing was written.\n";
    return kExitError;
  }
  // What import prints must load: the importers check what they can at the
  // source (file:line), the loader holds every other rule of the contract
  // (addresses inside their subnet and unique, names, cycles, ports taken
  // twice). A manifest that would not load is never handed out.
  LoadOptions load;
  if (!o.stack.empty()) load.default_stack = o.stack;
  const std::string made_from = "(the manifest made from " + r.files.front() + ")";
  const LoadResult check = load_manifest_text(made_from, result.manifest, load);
  if (!check.ok()) {
    std::cerr << "Error: what " << r.files.front() << " describes is not a valid topo manifest:\n";
    for (const LoadError& e : check.errors) std::cerr << "  " << e.message << "\n";
    for (const importers::ImportNote& n : result.notes) std::cerr << n.str() << "\n";
    std::cerr << "nothing was written.\n";
    return kExitError;
  }
  if (r.out_dir.empty()) {
    std::cout << result.manifest;
  } else {
    const std::string path = (std::filesystem::path(r.out_dir) / result.file_name).string();
    try {
      Fd dir = fsutil::open_parent(path);  // the user's directory: followed as given
      fsutil::write_new_file_at(dir.get(), result.file_name, result.manifest, 0644, path);
    } catch (const KernelError& e) {
      std::cerr << "Error: " << e.what() << "\nnothing was written.\n";
      return kExitError;
    }
    std::cerr << "wrote " << path << "\n";
  }
  for (const importers::ImportNote& n : result.notes) std::cerr << n.str() << "\n";
  return kExitOk;
}

}  // namespace topo::cli
