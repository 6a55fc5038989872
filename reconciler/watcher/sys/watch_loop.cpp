#include "reconciler/watcher/sys/watch_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "reconciler/process/malloc_tuning.hpp"
#include "reconciler/watcher/check_schedule.hpp"
#include "reconciler/watcher/sys/check_runner.hpp"
#include "reconciler/watcher/sys/cluster_events.hpp"
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
  KernelEvents kernel_events(config.netns_dir, config.event_rcvbuf);
  EtcFilesWatch etc_files(config.etc_netns_dir);
  etc_files.watch({});
  Notifier notifier;
  Controller controller(config.controller, std::move(kernels));
  Scheduler scheduler(config.schedule, Clock::now());
  const auto verify_every = config.controller.verify_interval.count() / 1000;
  spdlog::info("watching {} (debounce {} ms, kernel {} ms, resync {} s, {})", config.controller.path,
               config.schedule.debounce.count(), config.schedule.kernel_debounce.count(),
               config.schedule.resync.count() / 1000,
               verify_every > 0 ? "checks every " + std::to_string(verify_every) + " s" : std::string("no checks"));
  if (loop.watchdog()) spdlog::debug("watchdog: the event loop pings systemd");

  // What the events since the last pass ask for (event_scope.hpp). A pass
  // due for any other reason (the start, the manifests, SIGHUP, the
  // resync, a retry) reads everything.
  Wake pending{true, {}};
  auto kernel_wake = [&](const Wake& w) {
    if (!w.any()) return;
    pending.merge(w);
    scheduler.kernel_changed(Clock::now());
  };

  bool stop = false;
  for (int sig : BlockedSignals::handled())
    loop.on_signal(sig, [&](int s) {
      if (s == SIGHUP) {
        spdlog::info("SIGHUP: reconciling now");
        pending.full = true;
        scheduler.reconcile_now(Clock::now());
      } else {
        spdlog::info("{}: stopping; the network stays as it is", s == SIGTERM ? "SIGTERM" : "SIGINT");
        stop = true;
      }
    });
  loop.on_readable(manifests.fd(), [&] {
    if (!manifests.read()) return;
    spdlog::debug("manifests changed");
    pending.full = true;
    scheduler.manifest_changed(Clock::now());
  });
  loop.on_readable(etc_files.fd(), [&] {
    Wake w;
    for (const std::string& c : etc_files.drain()) w.merge(controller.event_scope().etc_files(c));
    if (w.any()) spdlog::debug("event: a per-container file changed: {}", describe(w));
    kernel_wake(w);  // drift, like a kernel change
  });
  // One netlink socket hears every managed namespace (kernel_events.hpp):
  // the sources are laid once.
  for (int fd : kernel_events.fds()) {
    loop.on_readable(fd, [&, fd] {
      auto d = kernel_events.drain(fd, controller.event_scope());
      if (d.overflow) spdlog::warn("netlink events were lost (ENOBUFS); running a full resync");
      kernel_wake(d.wake);
    });
  }

  // Cluster mode: other nodes' changes ask for a full pass; the leases are
  // renewed every third of the node key's TTL, sooner while etcd is away.
  std::unique_ptr<ClusterEvents> cluster_events;
  TimePoint next_keepalive = TimePoint::max();
  Millis keepalive_every{0};
  if (config.etcd) {
    cluster_events = std::make_unique<ClusterEvents>(config.etcd->client_options(), config.etcd->registry_options().prefix + "/");
    loop.on_readable(cluster_events->fd(), [&] {
      if (!cluster_events->drain()) return;
      spdlog::debug("event: topo's keys in etcd changed");
      pending.full = true;
      scheduler.manifest_changed(Clock::now());
    });
    keepalive_every = std::chrono::duration_cast<Millis>(config.etcd->registry_options().membership_ttl) / 3;
    next_keepalive = Clock::now() + keepalive_every;
  }
  auto keep_leases = [&] {
    bool changed = false;
    const bool was_reachable = config.etcd->health().reachable;
    const bool ok = config.etcd->keepalive(&changed);
    // Back from an outage, or a lease lost: read etcd again. Gone: a pass
    // with what etcd said last, which says so in the status and metrics.
    if (changed || ok != was_reachable) {
      pending.full = true;
      scheduler.reconcile_now(Clock::now());
    }
    if (!ok) spdlog::warn("cluster mode: etcd did not answer the keepalive: {}", config.etcd->health().error);
    next_keepalive = Clock::now() + (ok ? keepalive_every : std::min(keepalive_every, Millis{2000}));
  };

  // The checks (--verify-interval): on a thread of their own, whose end
  // wakes the loop; their results go into the status file and metrics.
  CheckSchedule check_schedule(config.controller.verify_interval, Clock::now());
  std::unique_ptr<CheckRunner> check_runner;
  if (check_schedule.enabled()) {
    check_runner = std::make_unique<CheckRunner>();
    loop.on_readable(check_runner->fd(), [&] {
      auto run = check_runner->take();
      if (!run) return;
      check_schedule.finished(Clock::now());
      controller.record_checks(run->outcomes, run->seconds);
    });
  }
  auto maybe_run_checks = [&] {
    const TimePoint now = Clock::now();
    if (!check_schedule.due(now)) return;
    check_schedule.started(now);
    // Before a clean full pass nothing is in force to check; a model without
    // checks has its (empty) run recorded at once.
    if (!controller.checks_ready() || controller.checks().empty()) {
      if (controller.checks_ready()) controller.record_checks({}, 0);
      check_schedule.finished(now);
      return;
    }
    spdlog::debug("running {} check(s)", controller.checks().size());
    check_runner->start(controller.checks());
  };

  Readiness readiness(config.ready_bound, Clock::now());
  while (!stop) {
    maybe_run_checks();
    TimePoint next = std::min(scheduler.next_pass(), next_keepalive);
    if (auto c = check_schedule.next_run()) next = std::min(next, *c);
    if (auto d = readiness.deadline()) next = std::min(next, *d);
    loop.wake_at(next);
    loop.run_once();
    if (auto n = stop ? std::nullopt : readiness.on_time(Clock::now())) {
      spdlog::warn("telling systemd the controller has started, though not converged: {}", n->status);
      notifier.send(*n);
    }
    if (!stop && config.etcd && Clock::now() >= next_keepalive) keep_leases();
    if (stop || !scheduler.due(Clock::now())) continue;
    const Wake asked = std::exchange(pending, Wake{});
    const bool focused = !asked.full && !asked.containers.empty() && controller.can_focus();
    const std::set<std::string> scope = focused ? controller.focus_containers(asked.containers) : asked.containers;
    notifier.status("reconciling");
    // The namespaces the pass may remove or remake are not heard meanwhile.
    if (focused) kernel_events.drop_namespaces(scope);
    else kernel_events.drop_namespaces();
    const WatchStatus& st = focused ? controller.run_focused_pass(asked.containers) : controller.run_pass();
    // What a full pass of thousands of containers freed goes back now, not
    // held by an idle controller (process/malloc_tuning.hpp).
    if (!focused) process::release_free_memory();
    const std::vector<std::string> again =
        focused ? std::vector<std::string>(scope.begin(), scope.end()) : controller.managed_namespaces();
    kernel_events.subscribe_namespaces(again);
    etc_files.watch(again);
    // pass_done() covers what was pending before the pass. What happened
    // meanwhile, the pass's own echoes included, is still pending on the
    // sockets and judged like any event by their handlers. The namespaces
    // the pass dropped were not heard from while it ran: when it changed
    // something, one more pass over them follows to look (a full pass after
    // a full one).
    scheduler.pass_done(Clock::now(), st.last_pass_ok);
    // What the pass changed (or the other checks it put in force) is looked at.
    if (st.last_pass_ok && (st.last_changes > 0 || controller.checks_changed())) check_schedule.ask(Clock::now());
    if (st.last_pass_ok && st.last_changes > 0) kernel_wake(focused ? Wake{false, scope} : Wake{true, {}});
    if (!st.last_pass_ok) pending.full = true;  // the retry reads everything
    if (auto when = controller.deferred_until()) {
      pending.full = true;
      scheduler.reconcile_at(*when);
    }
    if (!st.last_pass_ok)
      spdlog::warn("pass failed; retrying in {} ms at the latest", scheduler.backoff().current().count());
    // Creations done, removals held back: not converged yet.
    const bool held_back = controller.deferred_until().has_value();
    const std::string line =
        held_back ? "removals and replacements wait for the manifests to settle" : summary(st);
    const TimePoint after = Clock::now();
    const Millis next_in = std::chrono::duration_cast<Millis>(std::max(scheduler.next_pass(), after) - after);
    notifier.send(readiness.after_pass(st.last_pass_ok && !held_back, line, next_in));
  }
  notifier.stopping();
  // Probes still running are killed, not waited for (their timeouts may be long).
  if (check_runner && check_runner->busy()) spdlog::info("stopping the checks under way");
  if (check_runner) loop.forget(check_runner->fd());
  check_runner.reset();
  return 0;
}

}  // namespace topo::watcher
