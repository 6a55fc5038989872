#include "reconciler/watcher/sys/watch_loop.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "reconciler/watcher/sys/etc_files_watch.hpp"
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

int timeout_ms(TimePoint now, TimePoint until) {
  if (until <= now) return 0;
  auto ms = std::chrono::ceil<Millis>(until - now).count();
  return static_cast<int>(std::min<long long>(ms, 24 * 3600 * 1000));
}

}  // namespace

int run_watch(const WatchConfig& config, KernelFactory kernels) {
  SignalFd signals;
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

  bool ready = false;
  for (;;) {
    TimePoint now = Clock::now();
    TimePoint wake = scheduler.next_pass();
    if (auto ping = notifier.ping(now)) wake = std::min(wake, *ping);

    std::vector<pollfd> fds{{signals.fd(), POLLIN, 0}, {manifests.fd(), POLLIN, 0}, {etc_files.fd(), POLLIN, 0}};
    for (int fd : kernel_events.fds()) fds.push_back({fd, POLLIN, 0});
    int n = ::poll(fds.data(), fds.size(), timeout_ms(now, wake));
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    now = Clock::now();

    if (fds[0].revents & POLLIN) {
      bool stop = false;
      for (int sig; (sig = signals.read()) != 0;) {
        if (sig == SIGHUP) {
          spdlog::info("SIGHUP: reconciling now");
          scheduler.reconcile_now(now);
        } else {
          spdlog::info("{}: stopping; the network stays as it is", sig == SIGTERM ? "SIGTERM" : "SIGINT");
          stop = true;
        }
      }
      if (stop) break;
    }
    if ((fds[1].revents & POLLIN) && manifests.read()) {
      spdlog::debug("manifests changed");
      scheduler.manifest_changed(now);
    }
    if ((fds[2].revents & POLLIN) && etc_files.drain()) {
      spdlog::debug("a per-container file changed");
      scheduler.kernel_changed(now);  // drift, like a kernel change
    }
    for (size_t i = 3; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLERR))) continue;
      auto d = kernel_events.drain(fds[i].fd);
      if (d.overflow) spdlog::warn("netlink events were lost (ENOBUFS); running a full resync");
      if (d.relevant) scheduler.kernel_changed(now);
    }

    if (!scheduler.due(Clock::now())) continue;
    notifier.status("reconciling");
    // No subscription may hold a namespace the pass is about to remove.
    kernel_events.drop_namespaces();
    const WatchStatus& st = controller.run_pass();
    kernel_events.subscribe_namespaces(controller.managed_namespaces());
    kernel_events.discard_all();  // the pass's own echoes
    etc_files.watch(controller.managed_namespaces());
    etc_files.drain();
    scheduler.pass_done(Clock::now(), st.last_pass_ok);
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
