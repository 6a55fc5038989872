#include "reconciler/watcher/sys/check_runner.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "reconciler/probe/run_checks.hpp"

namespace topo::watcher {

namespace {

Fd make_eventfd(const char* what) {
  Fd fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!fd) throw std::runtime_error(std::string("eventfd for ") + what + ": " + std::strerror(errno));
  return fd;
}

void signal(int fd) {
  const uint64_t one = 1;
  // A full counter (EAGAIN) is already a wake-up.
  [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
}

void drain(int fd) {
  uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(fd, &count, sizeof count);
}

}  // namespace

CheckRunner::CheckRunner() : done_(make_eventfd("the checks' end")), stop_(make_eventfd("stopping the checks")) {}

CheckRunner::~CheckRunner() { stop(); }

void CheckRunner::start(std::vector<verify::PlannedCheck> checks) {
  if (busy()) throw std::logic_error("CheckRunner::start while a run goes on");
  drain(stop_.get());
  thread_ = std::thread([this, checks = std::move(checks)]() mutable {
    const auto begin = Clock::now();
    Run run;
    try {
      run.outcomes = probe::run_checks(std::move(checks), stop_.get());
    } catch (const std::exception&) {
      // Spawning failed beyond what run_probes reports per probe (out of
      // memory): the run has no outcomes, and the loop is still told.
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      result_ = std::move(run);
    }
    signal(done_.get());
  });
}

std::optional<CheckRunner::Run> CheckRunner::take() {
  drain(done_.get());
  std::optional<Run> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    out = std::exchange(result_, std::nullopt);
  }
  // The thread has written its result last thing: joining it is immediate.
  if (out && thread_.joinable()) thread_.join();
  return out;
}

void CheckRunner::stop() {
  if (!thread_.joinable()) return;
  signal(stop_.get());
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  result_.reset();
}

}  // namespace topo::watcher
