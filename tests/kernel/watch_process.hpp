#pragma once
// `topo watch` as a child process for the end-to-end tests: started with a
// log file, signalled, waited for with a deadline, killed on destruction.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace topo::e2e {

class WatchProcess {
 public:
  // Runs the topo binary with `args`; `env` adds NAME=VALUE entries.
  WatchProcess(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  // Runs `argv` as it is (argv[0] a path or a name in PATH), e.g. a simulated
  // host's nsenter prefix before the topo binary (SimHost::command). This one
  // also dies with the thread that started it (PR_SET_PDEATHSIG), so a
  // crashed test leaves no controller behind.
  struct Command {
    std::vector<std::string> argv;
  };
  explicit WatchProcess(const Command& command, const std::vector<std::string>& env = {});
  ~WatchProcess();
  WatchProcess(const WatchProcess&) = delete;
  WatchProcess& operator=(const WatchProcess&) = delete;

  std::string log() const;
  bool running();
  void signal(int sig) const;
  // The exit code (128 + signal if killed by one), or -1 if it did not end in time.
  int wait_exit(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;

  void spawn(std::vector<std::string> argv, const std::vector<std::string>& env, bool die_with_parent);
};

// What `topo status -o json` says of the controller recorded in the state
// dir: whether it has made a pass and the last one succeeded.
bool watch_last_pass_ok();

// Polls `condition` every 50 ms until it holds or `timeout` passes; a
// condition that throws counts as not holding yet.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace topo::e2e
