#include "tests/kernel/watch_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {

bool watch_last_pass_ok() {
  try {
    auto j = nlohmann::json::parse(topo({"status", "-o", "json"}).out);
    return j["last_pass"]["ok"].get<bool>() && j["totals"]["passes"].get<int>() >= 1;
  } catch (...) {
    return false;
  }
}

WatchProcess::WatchProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv{TOPO_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  spawn(std::move(argv), env, false);
}

WatchProcess::WatchProcess(const Command& command, const std::vector<std::string>& env) {
  if (command.argv.empty()) throw std::invalid_argument("WatchProcess: empty command");
  spawn(command.argv, env, true);
}

void WatchProcess::spawn(std::vector<std::string> argv, const std::vector<std::string>& env, bool die_with_parent) {
  char tmpl[] = "/tmp/topo-watch-log.XXXXXX";
  int log = ::mkstemp(tmpl);
  if (log < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  log_path_ = tmpl;
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env_copy = env;
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    if (die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    }
    for (auto& e : env_copy) ::putenv(e.data());
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::execvp(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(log);
}

WatchProcess::~WatchProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  ::unlink(log_path_.c_str());
}

std::string WatchProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WatchProcess::running() {
  if (status_ != -1) return false;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = st;
    return false;
  }
  return r == 0;
}

void WatchProcess::signal(int sig) const { ::kill(pid_, sig); }

int WatchProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (!eventually([this] { return !running(); }, timeout)) return -1;
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      if (condition()) return true;
    } catch (const std::exception&) {
      // Caught mid-pass: a namespace file exists before its bind mount does,
      // and `ip -n` then fails. Not yet, rather than an error.
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace topo::e2e
