#include "reconciler/watcher/sys/watch_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

#include "reconciler/watcher/sys/etc_files_watch.hpp"
#include "reconciler/watcher/sys/event_loop.hpp"
#include "reconciler/watcher/sys/kernel_events.hpp"
#include "reconciler/watcher/sys/manifest_watch.hpp"
#include "reconciler/watcher/sys/notifier.hpp"
#include "reconciler/watcher/sys/signals.hpp"

namespace topo::watcher {

namespace {

std::string summary(const WatchStatus& s) {
  if (s.last_pass_ok) return "converged: " + std::to_string(s.last_changes) + " change(s) in the last pass";
  std::string first = s.error.empty() ? "failed" : s.error.front();
  return (s.manifest_error ? "manifest error: " : "error: ") + first;
}

}  // namespace

int run_watch(const WatchConfig& config, KernelFactory kernels) {
  BlockedSignals blocked;
  EventLoop loop;
  ManifestWatch manifests(config.controller.path);
  KernelEvents kernel_events(config.netns_dir);
  EtcFilesWatch etc_files(config.etc_netns_dir);
  etc_files.watch({});
  Notifier notifier;
  Controller controller(config.controller, std::move(kernels));
  Scheduler scheduler(config.schedule, Clock::now());
  spdlog::info("watching {} (debounce {} ms, kernel {} ms, resync {} s)", config.controller.path,
               config.schedule.debounce.count(), config.schedule.kernel_debounce.count(),
               config.schedule.resync.count() / 1000);
  if (loop.watchdog()) spdlog::debug("watchdog: the event loop pings systemd");

  bool stop = false;
  for (int sig : BlockedSignals::handled())
    loop.on_signal(sig, [&](int s) {
      if (s == SIGHUP) {
        spdlog::info("SIGHUP: reconciling now");
        scheduler.reconcile_now(Clock::now());
      } else {
        spdlog::info("{}: stopping; the network stays as it is", s == SIGTERM ? "SIGTERM" : "SIGINT");
        stop = true;
      }
    });
  loop.on_readable(manifests.fd(), [&] {
    if (!manifests.read()) return;
    spdlog::debug("manifests changed");
    scheduler.manifest_changed(Clock::now());
  });
  loop.on_readable(etc_files.fd(), [&] {
    if (!etc_files.drain()) return;
    spdlog::debug("a per-container file changed");
    scheduler.kernel_changed(Clock::now());  // drift, like a kernel change
  });
  // Netlink subscriptions come and go with the managed namespaces. Their
  // sources are dropped before KernelEvents closes any fd and laid again
  // after, never from inside a handler: a closed fd's number is soon reused.
  std::set<int> netlink_fds;
  bool netns_changed = false;
  auto watch_netlink = [&] {
    for (int fd : kernel_events.fds()) {
      netlink_fds.insert(fd);
      loop.on_readable(fd, [&, fd] {
        auto d = kernel_events.drain(fd);
        if (d.overflow) spdlog::warn("netlink events were lost (ENOBUFS); running a full resync");
        if (d.relevant) scheduler.kernel_changed(Clock::now());
        netns_changed |= d.netns_changed;  // subscriptions of namespaces that went were closed
      });
    }
  };
  auto unwatch_netlink = [&] {
    for (int fd : netlink_fds) loop.forget(fd);
    netlink_fds.clear();
  };
  watch_netlink();

  bool ready = false;
  while (!stop) {
    loop.wake_at(scheduler.next_pass());
    loop.run_once();
    if (netns_changed) {
      netns_changed = false;
      unwatch_netlink();
      watch_netlink();
    }
    if (stop || !scheduler.due(Clock::now())) continue;
    notifier.status("reconciling");
    unwatch_netlink();
    // No subscription may hold a namespace the pass is about to remove.
    kernel_events.drop_namespaces();
    const WatchStatus& st = controller.run_pass();
    kernel_events.subscribe_namespaces(controller.managed_namespaces());
    // A pass that changed the kernel hears its own echoes; they are dropped,
    // and with them any drift that happened meanwhile, so one more pass
    // follows to look. A pass that changed nothing made no echoes: what is
    // pending is drift and stays to wake the loop.
    const bool changed = !st.last_pass_ok || st.last_changes > 0;
    if (changed) kernel_events.discard_all();
    watch_netlink();
    etc_files.watch(controller.managed_namespaces());
    if (changed) etc_files.drain();
    scheduler.pass_done(Clock::now(), st.last_pass_ok);
    if (st.last_pass_ok && st.last_changes > 0) scheduler.kernel_changed(Clock::now());
    if (auto when = controller.deferred_until()) scheduler.reconcile_at(*when);
    if (!st.last_pass_ok)
      spdlog::warn("pass failed; retrying in {} ms at the latest", scheduler.backoff().current().count());
    if (!ready) {
      notifier.ready(summary(st));
      ready = true;
    } else {
      notifier.status(summary(st));
    }
  }
  notifier.stopping();
  return 0;
}

}  // namespace topo::watcher
