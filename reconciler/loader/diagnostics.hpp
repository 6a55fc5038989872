#pragma once
// The error sink every loader stage writes to. Stages never stop at the first
// error; the loader sorts them into file order at the end.
#include <string>
#include <utility>
#include <vector>

#include "reconciler/loader/loader.hpp"

namespace topo::loader {

class Diagnostics {
 public:
  void error(SourceLocation where, std::string message) {
    errors_.push_back(LoadError{std::move(where), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  std::vector<LoadError>& errors() { return errors_; }

 private:
  std::vector<LoadError> errors_;
};

}  // namespace topo::loader
