#pragma once
// Manifests in, desired model out: files and directories as the contract says,
// JSON Schema checks (valijson, on the built-in schema), then semantic checks.
// Nothing here touches the kernel.
#include <string>
#include <vector>

#include "reconciler/model/desired.hpp"
#include "reconciler/model/source_location.hpp"

namespace topo {

struct LoadError {
  SourceLocation where;
  std::string message;  // what was expected
  std::string str() const { return where.str() + ": " + message; }
};

struct LoadOptions {
  // The stack of documents without `stack:` (the --stack flag).
  std::string default_stack = kDefaultStack;
  // Cluster mode (--etcd, manifest.md "Cluster mode (etcd)"): the nodes
  // register in etcd, so a container's node need not be a declared host,
  // and overlay addresses are taken cluster-wide, so a multi-node overlay
  // needs no static ones.
  bool cluster = false;
};

struct LoadResult {
  Desired desired;                // meaningful only when errors is empty
  std::vector<LoadError> errors;  // all of them, in file order
  bool ok() const { return errors.empty(); }
};

// The schema is the one compiled into the binary (builtin_schema.hpp).
LoadResult load_manifests(const std::vector<std::string>& paths, const LoadOptions& options = {});
// One manifest already in memory (what `topo import` made), named `name` in
// the errors.
LoadResult load_manifest_text(const std::string& name, const std::string& text, const LoadOptions& options = {});

}  // namespace topo
