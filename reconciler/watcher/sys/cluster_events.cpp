#include "reconciler/watcher/sys/cluster_events.hpp"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace topo::watcher {

ClusterEvents::ClusterEvents(etcd::ClientOptions client, const std::string& prefix)
    : watch_(std::move(client), etcd::WatchOptions{.key = prefix, .prefix = true}),
      wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!wake_) throw std::runtime_error(std::string("eventfd for the etcd watch: ") + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

ClusterEvents::~ClusterEvents() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  watch_.stop();
  if (thread_.joinable()) thread_.join();
}

void ClusterEvents::signal() {
  const uint64_t one = 1;
  // A full counter (EAGAIN) is already a wake-up.
  [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
}

bool ClusterEvents::drain() {
  uint64_t count = 0;
  return ::read(wake_.get(), &count, sizeof count) == static_cast<ssize_t>(sizeof count) && count > 0;
}

void ClusterEvents::run() {
  // Retries after a failure wait 0.5 s, doubling up to 10 s; an answer resets it.
  std::chrono::milliseconds backoff{500};
  while (!stopping_) {
    etcd::WatchResult r;
    try {
      r = watch_.run([&](const etcd::WatchBatch& batch) {
        backoff = std::chrono::milliseconds{500};
        if (!batch.events.empty()) signal();
      });
    } catch (const std::exception& e) {
      r.end = etcd::WatchEnd::disconnected;
      r.reason = e.what();
    }
    switch (r.end) {
      case etcd::WatchEnd::stopped:
        return;
      case etcd::WatchEnd::compacted:
        // Events were lost: the pass reads everything, the watch goes on
        // from the oldest revision etcd still has.
        spdlog::warn("cluster mode: the etcd watch fell behind a compaction; reading everything again");
        watch_.restart_from(r.compact_revision);
        signal();
        continue;
      default:
        spdlog::debug("cluster mode: etcd watch ended ({}: {}); again in {} ms", etcd::to_string(r.end), r.reason,
                      backoff.count());
        break;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    stopped_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, std::chrono::milliseconds{10'000});
  }
}

}  // namespace topo::watcher
