#pragma once
// A live progress line on stderr for long work, as Terraform shows one: once
// a run has taken a second, "apply: 12/40 (30%), 3.2 s, create link c1/eth0"
// is redrawn in place every fifth of a second until the run ends, when it is
// erased. A thread redraws it, so a single slow step still shows time
// passing. Only on a terminal (stderr), never with TERM=dumb; elsewhere it
// does nothing, and output to files and pipes stays as it was. Nor with
// --log-level debug, whose per-action lines it would be drawn into.
#include <atomic>
#include <condition_variable>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace topo::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::string verb);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // The work begins: `n` items. The clock starts here, not at construction,
  // so reading the kernel and asking for approval are not counted (and the
  // line never draws over the question). Later calls do nothing.
  void start(std::size_t n);
  // One more item is under way (`current` names it) or done.
  void working_on(const std::string& current);
  void done_one(const std::string& last = "");
  // Erases the line and stops the thread; before anything else is printed.
  void finish();

  // Whether stderr is a terminal that can take it.
  static bool wanted();

 private:
  void run();
  void draw_locked();

  const std::string verb_;
  const bool enabled_;
  std::chrono::steady_clock::time_point started_;
  bool started_once_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::size_t total_ = 0, done_ = 0;
  std::string current_;
  bool drawn_ = false, stopping_ = false;
  std::thread thread_;
};

}  // namespace topo::cli
