#pragma once
// An etcd watch over the JSON gateway: one streaming POST to /v3/watch whose
// answer is a never-ending series of JSON objects, read as they arrive.
//
// Threading: run() blocks, so a watch gets a thread of its own, and stop()
// ends it from any other thread at once (curl_multi_wakeup, no polling
// delay). The callback runs on the watch's thread; a controller on sd-event
// queues the events and wakes its loop (an eventfd). Chosen over exposing a
// pollable fd because libcurl's socket API would drag its socket and timer
// callbacks into the controller's loop for a single long-lived connection,
// and a blocked watch thread costs nothing; the price is one handoff, which
// the controller needs anyway to batch events into passes.
//
// The loop a controller runs:
//
//   RangeResult all = client.get_prefix(prefix);          // the full state
//   Watch watch(options, {.key = prefix, .start_revision = all.revision + 1});
//   while (true) {
//     WatchResult r = watch.run(on_batch);                 // until something ends it
//     switch (r.end) {
//       case WatchEnd::stopped: return;
//       case WatchEnd::compacted:                          // events were lost: read all again
//         all = client.get_prefix(prefix); watch.restart_from(all.revision + 1); break;
//       case WatchEnd::disconnected: case WatchEnd::unreachable:
//         sleep(backoff); break;                           // run() again resumes at next_revision()
//       ...
//     }
//   }
//
// Nothing is lost or repeated across run()s: each resumes at the revision
// after the last event it delivered.
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/cluster/etcd/curl_handles.hpp"
#include "reconciler/cluster/etcd/options.hpp"
#include "reconciler/cluster/etcd/types.hpp"

namespace topo::etcd {

struct WatchOptions {
  std::string key;               // the key, or with prefix the prefix
  bool prefix = true;            // every key starting with `key`
  Revision start_revision = 0;   // the first revision to deliver; 0: changes from now on
  bool prev_kv = false;          // deliver each event's previous key-value too
};

struct WatchEvent {
  enum class Type { put, erase };
  Type type = Type::put;
  // For a put, the key as written; for an erase, key and mod_revision (the
  // revision of the delete) only.
  KeyValue kv;
  std::optional<KeyValue> prev;  // with WatchOptions::prev_kv, when there was one
};

// One answer of the stream.
struct WatchBatch {
  // The store revision when etcd sent it. Events of later revisions for this
  // range follow in later batches.
  Revision header_revision = 0;
  bool created = false;  // the stream's first answer: the watch is in place
  std::vector<WatchEvent> events;  // in revision order; empty when created or a progress notice
};

enum class WatchEnd {
  stopped,       // stop() was called
  deadline,      // run()'s deadline passed
  compacted,     // the start revision is compacted: read everything again, then restart_from()
  canceled,      // etcd canceled the watch or refused it for another reason (see reason)
  disconnected,  // the stream broke or ended after it was set up: run() again resumes
  unreachable,   // no endpoint could be reached (the reasons, per endpoint)
};
const char* to_string(WatchEnd end);

struct WatchResult {
  WatchEnd end = WatchEnd::stopped;
  Revision next_revision = 0;    // where the next run() starts
  Revision compact_revision = 0; // with compacted: the oldest revision etcd still has
  std::string reason;
};

class Watch {
 public:
  using Callback = std::function<void(const WatchBatch&)>;

  // Throws std::invalid_argument when options.endpoints is empty.
  Watch(ClientOptions options, WatchOptions watch);
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // Opens the stream (trying the endpoints in turn, starting at the one that
  // worked last: a watch has no side effects, so any failure before the
  // watch is in place moves on to the next, including a member that does not
  // confirm the watch within options.request_timeout) and delivers every answer to
  // on_batch, on this thread, until stop(), the deadline, or the end of the
  // stream. An exception from on_batch ends the stream and is rethrown.
  WatchResult run(const Callback& on_batch,
                  std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

  // Ends a run() in progress, or the next one, at once. Safe from any thread
  // and from on_batch. Sticky: every later run() returns stopped.
  void stop() noexcept;

  // The revision the next run() starts from.
  Revision next_revision() const { return next_revision_.load(); }
  // After a resync (a compaction): continue from this revision instead.
  void restart_from(Revision revision) { next_revision_.store(revision); }

 private:
  struct Transfer;
  WatchResult run_on(size_t endpoint, const Callback& on_batch,
                     std::optional<std::chrono::steady_clock::time_point> deadline);

  ClientOptions options_;
  WatchOptions watch_;
  MultiHandle multi_;  // lives as long as the Watch, so stop() can always wake it
  HeaderList headers_;
  std::atomic<bool> stop_{false};
  std::atomic<Revision> next_revision_;
  size_t current_ = 0;  // the endpoint that worked last
};

}  // namespace topo::etcd
