#pragma once
// What apply and destroy report while a plan runs: each action logged (with
// its duration once done) and the live progress line (progress_line.hpp).
// One place for both, so the manifest apply, the saved-plan apply and
// destroy report alike.
#include <cstddef>
#include <string>

#include "reconciler/cli/progress_line.hpp"
#include "reconciler/planner/plan.hpp"

namespace topo::cli {

class ActionProgress {
 public:
  explicit ActionProgress(std::string verb) : line_(std::move(verb)) {}
  // The plan's size, once known; the line starts with the first action.
  void plan_size(std::size_t n) { total_ = n; }
  void started(const Action& a);
  void done(const Action& a, double seconds);
  // Erases the line; before the result is printed.
  void finish() { line_.finish(); }

 private:
  ProgressLine line_;
  std::size_t total_ = 0;
};

}  // namespace topo::cli
