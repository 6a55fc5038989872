#include "reconciler/watcher/sys/event_loop.hpp"

#include <sys/epoll.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace topo::watcher {

namespace {

void check(int rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("sd-event: " + what + ": " + std::strerror(-rc));
}

uint64_t usec_of(TimePoint t) {
  // steady_clock is CLOCK_MONOTONIC, the clock the timer is armed on.
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return us < 0 ? 0 : static_cast<uint64_t>(us);
}

int on_io(sd_event_source*, int, uint32_t, void* userdata) {
  (*static_cast<std::function<void()>*>(userdata))();
  return 0;
}

int on_signal_event(sd_event_source*, const signalfd_siginfo* si, void* userdata) {
  (*static_cast<std::function<void(int)>*>(userdata))(static_cast<int>(si->ssi_signo));
  return 0;
}

int on_timer(sd_event_source*, uint64_t, void*) { return 0; }  // waking the loop is all it does

}  // namespace

EventLoop::EventLoop() {
  check(sd_event_new(&event_), "new");
  // Pings WATCHDOG=1 at half WatchdogSec= while the loop turns; a no-op
  // when not run by systemd with a watchdog.
  if (int rc = sd_event_set_watchdog(event_, 1); rc < 0) {
    sd_event_unref(event_);
    check(rc, "watchdog");
  }
}

EventLoop::~EventLoop() {
  readable_.clear();
  signals_.clear();
  timer_.reset();
  sd_event_unref(event_);
}

void EventLoop::on_signal(int sig, std::function<void(int)> on) {
  auto handler = std::make_unique<std::function<void(int)>>(std::move(on));
  sd_event_source* s = nullptr;
  check(sd_event_add_signal(event_, &s, sig, on_signal_event, handler.get()), "signal " + std::to_string(sig));
  signals_[sig].reset(s);
  signal_handlers_[sig] = std::move(handler);
}

void EventLoop::on_readable(int fd, std::function<void()> on) {
  auto h = std::make_unique<Handler>();
  h->on = std::move(on);
  sd_event_source* s = nullptr;
  check(sd_event_add_io(event_, &s, fd, EPOLLIN, on_io, &h->on), "watch fd " + std::to_string(fd));
  h->source.reset(s);
  readable_[fd] = std::move(h);
}

void EventLoop::forget(int fd) { readable_.erase(fd); }

void EventLoop::wake_at(TimePoint when) {
  if (!timer_) {
    sd_event_source* s = nullptr;
    // Accuracy 1 µs: the default (0) lets the kernel batch wake-ups by 250 ms,
    // longer than the 20 ms drift debounce.
    check(sd_event_add_time(event_, &s, CLOCK_MONOTONIC, usec_of(when), 1, on_timer, nullptr), "timer");
    timer_.reset(s);
  } else {
    check(sd_event_source_set_time(timer_.get(), usec_of(when)), "timer");
  }
  // A one-shot timer turns itself off once it has fired.
  check(sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT), "timer");
}

void EventLoop::run_once() {
  int rc = sd_event_run(event_, UINT64_MAX);
  if (rc < 0 && rc != -EINTR) check(rc, "run");
}

bool EventLoop::watchdog() const { return sd_event_get_watchdog(event_) > 0; }

}  // namespace topo::watcher
