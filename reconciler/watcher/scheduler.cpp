#include "reconciler/watcher/scheduler.hpp"

#include <algorithm>

namespace topo::watcher {

namespace {
// A burst is cut off after this many debounce delays at most.
constexpr int kMaxWaitFactor = 8;
}  // namespace

Scheduler::Scheduler(const SchedulerConfig& config, TimePoint now)
    : config_(config),
      manifests_(config.debounce, config.debounce * kMaxWaitFactor),
      kernel_(config.kernel_debounce, config.kernel_debounce * kMaxWaitFactor),
      backoff_(config.backoff_initial, config.backoff_cap),
      now_(now),
      last_end_(now),
      retry_at_(now) {}

void Scheduler::pass_done(TimePoint now, bool ok) {
  manifests_.clear();
  kernel_.clear();
  now_.reset();
  if (at_ && *at_ <= now) at_.reset();
  last_end_ = now;
  if (ok) {
    backoff_.success();
    retry_at_ = now;
  } else {
    retry_at_ = now + backoff_.failure();
  }
}

TimePoint Scheduler::next_pass() const {
  bool failing = backoff_.failures() > 0;
  // The resync is never sooner than a pending retry.
  TimePoint next = std::max(last_end_ + config_.resync, retry_at_);
  if (failing) next = std::min(next, retry_at_);
  if (now_) next = std::min(next, *now_);
  if (at_) next = std::min(next, *at_);
  if (auto d = manifests_.deadline()) next = std::min(next, *d);
  if (auto d = kernel_.deadline()) next = std::min(next, std::max(*d, retry_at_));
  return next;
}

}  // namespace topo::watcher
