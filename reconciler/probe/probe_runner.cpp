#include "reconciler/probe/probe_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>

#include "reconciler/fsutil/fd.hpp"
#include "reconciler/probe/namespace_entry.hpp"
#include "reconciler/probe/send_probe.hpp"
#include "reconciler/verify/probe_wire.hpp"

extern char** environ;

namespace topo::probe {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  std::size_t index = 0;
  pid_t pid = -1;
  Fd out;
  std::string text;
  Clock::time_point deadline;
};

verify::ProbeResult failure(std::string detail) {
  verify::ProbeResult r;
  r.detail = std::move(detail);
  r.not_tried = true;
  return r;
}

// The child, its stdout a pipe; an error text when it could not start.
std::string spawn(const verify::Probe& p, Child& c) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  Fd read_end(fds[0]), write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  // The controller blocks SIGTERM and friends for its event loop (and its
  // threads inherit that); a child must not: it starts with no signal blocked.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const std::string json = verify::probe_to_json(p);
  char arg0[] = "topo", arg1[] = "__probe";
  char* argv[] = {arg0, arg1, const_cast<char*>(json.c_str()), nullptr};
  const int rc = ::posix_spawn(&c.pid, "/proc/self/exe", &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return std::string("start the probe: ") + std::strerror(rc);
  c.out = std::move(read_end);
  // The grace covers starting the child (an exec, slow on a loaded or
  // emulated machine); the probe keeps its own timeout.
  c.deadline = Clock::now() + std::chrono::milliseconds(p.timeout_ms + 5000);
  return "";
}

enum class End { Answered, Late, Stopped };

verify::ProbeResult reap(Child& c, End end) {
  if (end != End::Answered) ::kill(c.pid, SIGKILL);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (end == End::Late) {
    // Tried, and nothing came back in time (a lookup waiting on a DNS server).
    verify::ProbeResult late;
    late.detail = "no answer within the timeout; the probe was stopped";
    return late;
  }
  if (end == End::Stopped) return failure("stopped before it finished: topo is stopping");
  if (auto r = verify::result_from_json(c.text)) return *r;
  return failure("the probe failed: " + (c.text.empty() ? std::string("no answer") : c.text));
}

}  // namespace

std::vector<verify::ProbeResult> run_probes(const std::vector<verify::Probe>& probes, int parallel, int stop_fd,
                                            const std::function<void(std::size_t index)>& on_done) {
  std::vector<verify::ProbeResult> results(probes.size());
  std::vector<Child> running;
  std::size_t next = 0;
  bool stopping = false;
  while (next < probes.size() || !running.empty()) {
    if (stopping) {
      for (Child& c : running) results[c.index] = reap(c, End::Stopped);
      running.clear();
      for (; next < probes.size(); ++next) results[next] = failure("not sent: topo is stopping");
      break;
    }
    while (next < probes.size() && static_cast<int>(running.size()) < parallel) {
      Child c;
      c.index = next;
      if (std::string e = spawn(probes[next], c); !e.empty()) {
        results[next] = failure(e);
        if (on_done) on_done(next);
      } else
        running.push_back(std::move(c));
      ++next;
    }
    if (running.empty()) continue;
    std::vector<pollfd> fds;
    auto soonest = running.front().deadline;
    for (const Child& c : running) {
      fds.push_back({c.out.get(), POLLIN, 0});
      soonest = std::min(soonest, c.deadline);
    }
    // Last, after the children's: fds[i] is running[i].
    if (stop_fd >= 0) fds.push_back({stop_fd, POLLIN, 0});
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now()).count();
    ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait)));
    if (stop_fd >= 0 && (fds.back().revents & (POLLIN | POLLHUP | POLLERR))) {
      stopping = true;
      continue;
    }
    std::vector<Child> still;
    for (std::size_t i = 0; i < running.size(); ++i) {
      Child& c = running[i];
      bool done = false;
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[4096];
        const ssize_t n = ::read(c.out.get(), buf, sizeof buf);
        if (n > 0) c.text.append(buf, static_cast<std::size_t>(n));
        done = n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
      }
      const bool late = !done && Clock::now() >= c.deadline;
      if (done || late) {
        results[c.index] = reap(c, late ? End::Late : End::Answered);
        if (on_done) on_done(c.index);
      } else
        still.push_back(std::move(c));
    }
    running = std::move(still);
  }
  return results;
}

int probe_child_main(const char* probe_json) {
  // A `topo verify` killed takes its probes with it (the controller stops them itself).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  auto p = verify::probe_from_json(probe_json ? probe_json : "");
  if (!p) {
    std::cerr << "topo __probe: not a probe\n";
    return 1;
  }
  verify::ProbeResult r;
  if (std::string e = enter_namespaces(p->netns, p->etc_dir); !e.empty())
    r = failure("could not enter the namespace: " + e);
  else
    r = send_probe(*p);
  std::cout << verify::result_to_json(r) << std::endl;
  return 0;
}

}  // namespace topo::probe
