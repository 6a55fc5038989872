// The etcd client (reconciler/cluster/etcd/) against a real etcd started in
// the sandbox (etcd_server.hpp): keys, transactions, leases, watches, and what
// the client says when etcd is gone.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "reconciler/cluster/etcd/client.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/watch.hpp"
#include "tests/kernel/etcd_server.hpp"

namespace topo::test {
namespace {

using namespace std::chrono_literals;
using etcd::Client;
using etcd::ClientOptions;
using etcd::EtcdError;
using etcd::ErrorKind;
using etcd::Watch;
using etcd::WatchBatch;
using etcd::WatchEnd;
using etcd::WatchEvent;

ClientOptions options_for(std::vector<std::string> endpoints) {
  ClientOptions o;
  o.endpoints = std::move(endpoints);
  o.connect_timeout = 1s;
  o.request_timeout = 3s;
  return o;
}

// Runs a watch on a thread of its own and records every batch.
class WatchThread {
 public:
  WatchThread(ClientOptions options, etcd::WatchOptions w) : watch_(std::move(options), std::move(w)) {}
  ~WatchThread() {
    watch_.stop();
    if (thread_.joinable()) thread_.join();
  }
  void start() {
    {
      std::lock_guard lock(mutex_);
      created_ = false;
      result_.reset();
    }
    thread_ = std::thread([this] {
      etcd::WatchResult r = watch_.run([this](const WatchBatch& b) {
        std::lock_guard lock(mutex_);
        if (b.created) created_ = true;
        for (const auto& e : b.events) events_.push_back(e);
      });
      std::lock_guard lock(mutex_);
      result_ = r;
    });
  }
  etcd::WatchResult join() {
    thread_.join();
    std::lock_guard lock(mutex_);
    return *result_;
  }
  // Waits until cond holds (under the lock) or the timeout passes.
  template <typename Cond>
  bool wait_for(Cond cond, std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        if (cond()) return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  bool wait_created() { return wait_for([this] { return created_; }); }
  bool wait_events(size_t n) { return wait_for([this, n] { return events_.size() >= n; }); }
  bool wait_ended() { return wait_for([this] { return result_.has_value(); }); }
  std::vector<WatchEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  Watch& watch() { return watch_; }

 private:
  Watch watch_;
  std::thread thread_;
  std::mutex mutex_;
  bool created_ = false;
  std::vector<WatchEvent> events_;
  std::optional<etcd::WatchResult> result_;
};

// A member that is hung: the kernel completes the TCP handshake (a listening
// socket's backlog) and takes the request, but nobody ever answers.
class HungMember {
 public:
  HungMember() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("HungMember: cannot listen on 127.0.0.1");
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  }
  ~HungMember() { ::close(fd_); }
  const std::string& url() const { return url_; }

 private:
  int fd_ = -1;
  std::string url_;
};

TEST(EtcdClient, PutGetPrefixAndDelete) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));

  etcd::Revision r1 = etcd.put("/t/a", "1");
  etcd::Revision r2 = etcd.put("/t/b", std::string("bytes\0\xff", 7));
  etcd.put("/t/c", "");
  etcd.put("/u/x", "other prefix");
  EXPECT_GT(r2, r1);

  etcd::RangeResult one = etcd.get("/t/a");
  ASSERT_EQ(one.kvs.size(), 1u);
  EXPECT_EQ(one.kvs[0].value, "1");
  EXPECT_EQ(one.kvs[0].create_revision, r1);
  EXPECT_EQ(one.kvs[0].version, 1);
  EXPECT_GE(one.revision, r2);

  EXPECT_TRUE(etcd.get("/t/none").kvs.empty());

  etcd::RangeResult all = etcd.get_prefix("/t/");
  ASSERT_EQ(all.kvs.size(), 3u);
  EXPECT_EQ(all.count, 3);
  EXPECT_EQ(all.kvs[0].key, "/t/a");
  EXPECT_EQ(all.kvs[1].value, std::string("bytes\0\xff", 7)) << "binary values survive base64";
  EXPECT_EQ(all.kvs[2].value, "") << "an empty value (left out of the JSON) reads as empty";

  // Reading at an older revision sees the older state.
  EXPECT_EQ(etcd.get_prefix("/t/", r1).kvs.size(), 1u);

  etcd.put("/t/a", "2");
  EXPECT_EQ(etcd.get("/t/a").kvs.at(0).version, 2);

  EXPECT_EQ(etcd.erase("/t/a"), 1);
  EXPECT_EQ(etcd.erase("/t/a"), 0);
  EXPECT_EQ(etcd.erase_prefix("/t/"), 2);
  EXPECT_TRUE(etcd.get_prefix("/t/").kvs.empty());
  EXPECT_EQ(etcd.get_prefix("/u/").kvs.size(), 1u) << "a prefix delete stays inside its prefix";
}

TEST(EtcdClient, CreateIfAbsentRaceHasExactlyOneWinnerPerKey) {
  EtcdServer server;
  constexpr int kKeys = 40;
  std::vector<etcd::CreateResult> a(kKeys), b(kKeys);
  auto racer = [&](std::vector<etcd::CreateResult>& out, const std::string& me) {
    Client etcd(options_for({server.url()}));
    for (int i = 0; i < kKeys; ++i) out[i] = etcd.create_if_absent("/leases/" + std::to_string(i), me);
  };
  std::thread ta(racer, std::ref(a), "node-a");
  std::thread tb(racer, std::ref(b), "node-b");
  ta.join();
  tb.join();

  Client etcd(options_for({server.url()}));
  for (int i = 0; i < kKeys; ++i) {
    SCOPED_TRACE("key " + std::to_string(i));
    EXPECT_NE(a[i].created, b[i].created) << "exactly one client creates the key";
    const std::string winner = a[i].created ? "node-a" : "node-b";
    EXPECT_EQ(a[i].current.value, winner);
    EXPECT_EQ(b[i].current.value, winner);
    EXPECT_EQ(a[i].current.create_revision, b[i].current.create_revision);
    EXPECT_EQ(etcd.get("/leases/" + std::to_string(i)).kvs.at(0).value, winner);
  }
  // A later attempt by the winner finds its own key: not created again.
  etcd::CreateResult again = etcd.create_if_absent("/leases/0", "node-c");
  EXPECT_FALSE(again.created);
  EXPECT_NE(again.current.value, "node-c");
}

TEST(EtcdClient, TransactionComparesValueVersionAndRevisions) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd::Revision r = etcd.put("/k", "v1");

  using etcd::Compare;
  using etcd::CompareOp;
  using etcd::TxnOp;
  etcd::Txn t;
  t.compare = {Compare::value_is("/k", CompareOp::equal, "v1"), Compare::version("/k", CompareOp::equal, 1),
               Compare::mod_revision("/k", CompareOp::equal, r), Compare::create_revision("/k", CompareOp::greater, 0)};
  t.success = {TxnOp::put("/k", "v2"), TxnOp::get("/k"), TxnOp::erase("/gone")};
  t.failure = {TxnOp::get("/k")};
  etcd::TxnResult ok = etcd.txn(t);
  EXPECT_TRUE(ok.succeeded);
  ASSERT_EQ(ok.responses.size(), 3u);
  EXPECT_EQ(ok.responses[0].kind, TxnOp::Kind::put);
  EXPECT_EQ(ok.responses[1].range.kvs.at(0).value, "v2");
  EXPECT_EQ(ok.responses[2].deleted, 0);

  // Same compares again: the value and revisions moved, so the failure branch runs.
  etcd::TxnResult lost = etcd.txn(t);
  EXPECT_FALSE(lost.succeeded);
  ASSERT_EQ(lost.responses.size(), 1u);
  EXPECT_EQ(lost.responses[0].range.kvs.at(0).value, "v2");
  EXPECT_EQ(etcd.get("/k").kvs.at(0).version, 2);

  etcd::Txn ne;
  ne.compare = {Compare::value_is("/k", CompareOp::not_equal, "v1")};
  ne.success = {TxnOp::erase_prefix("/k")};
  EXPECT_TRUE(etcd.txn(ne).succeeded);
  EXPECT_TRUE(etcd.get("/k").kvs.empty());
}

TEST(EtcdLease, ExpiryDeletesItsKeys) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd::Lease lease = etcd.lease_grant(2s);
  ASSERT_NE(lease.id, 0);
  EXPECT_GE(lease.ttl, 2);
  etcd.put("/node/a", "10.0.0.1", lease.id);
  EXPECT_EQ(etcd.get("/node/a").kvs.at(0).lease, lease.id);
  etcd::LeaseTimeToLive ttl = etcd.lease_time_to_live(lease.id, true);
  EXPECT_GT(ttl.ttl, 0);
  EXPECT_EQ(ttl.keys, std::vector<std::string>{"/node/a"});

  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!etcd.get("/node/a").kvs.empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(etcd.get("/node/a").kvs.empty()) << "the key went with its lease";
  EXPECT_EQ(etcd.lease_time_to_live(lease.id).ttl, -1);
  EXPECT_EQ(etcd.lease_keepalive_once(lease.id), 0) << "a keepalive of an expired lease says 0";
  try {
    etcd.put("/node/a", "again", lease.id);
    FAIL() << "a put on an expired lease must be refused";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused) << e.what();
    EXPECT_EQ(e.grpc_code(), etcd::grpc_code::not_found) << e.what();
  }
}

TEST(EtcdLease, KeepaliveKeepsTheKeyAndRevokeRemovesIt) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd::Lease lease = etcd.lease_grant(2s);
  etcd.put("/node/b", "x", lease.id);
  // Twice the TTL, renewed every half second.
  auto until = std::chrono::steady_clock::now() + 4500ms;
  while (std::chrono::steady_clock::now() < until) {
    EXPECT_GT(etcd.lease_keepalive_once(lease.id), 0);
    std::this_thread::sleep_for(500ms);
  }
  EXPECT_EQ(etcd.get("/node/b").kvs.size(), 1u) << "kept alive past its TTL";
  etcd.lease_revoke(lease.id);
  EXPECT_TRUE(etcd.get("/node/b").kvs.empty()) << "revoking deletes at once";
  try {
    etcd.lease_revoke(lease.id);
    FAIL() << "revoking a revoked lease must be refused";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused) << e.what();
    EXPECT_NE(std::string(e.what()).find("lease not found"), std::string::npos) << e.what();
  }
}

TEST(EtcdWatch, DeliversPutsAndDeletesInOrderAndStopsFromAnotherThread) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd.put("/w/before", "not seen: older than the start revision");
  etcd::Revision start = etcd.get_prefix("/w/").revision + 1;

  WatchThread w(options_for({server.url()}), {.key = "/w/", .start_revision = start, .prev_kv = true});
  w.start();
  ASSERT_TRUE(w.wait_created());
  etcd::Revision ra = etcd.put("/w/a", "1");
  etcd::Revision rb = etcd.put("/w/b", "2");
  etcd.put("/other", "outside the prefix");
  etcd.put("/w/a", "3");
  etcd.erase("/w/a");
  ASSERT_TRUE(w.wait_events(4)) << "got " << w.events().size() << " events";
  w.watch().stop();
  ASSERT_TRUE(w.wait_ended()) << "stop() ends run() from another thread";
  etcd::WatchResult r = w.join();
  EXPECT_EQ(r.end, WatchEnd::stopped) << etcd::to_string(r.end) << ": " << r.reason;

  auto ev = w.events();
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].type, WatchEvent::Type::put);
  EXPECT_EQ(ev[0].kv.key, "/w/a");
  EXPECT_EQ(ev[0].kv.value, "1");
  EXPECT_EQ(ev[0].kv.mod_revision, ra);
  EXPECT_EQ(ev[1].kv.key, "/w/b");
  EXPECT_EQ(ev[1].kv.mod_revision, rb);
  EXPECT_EQ(ev[2].kv.value, "3");
  ASSERT_TRUE(ev[2].prev.has_value());
  EXPECT_EQ(ev[2].prev->value, "1");
  EXPECT_EQ(ev[3].type, WatchEvent::Type::erase);
  EXPECT_EQ(ev[3].kv.key, "/w/a");
  for (size_t i = 1; i < ev.size(); ++i) EXPECT_GT(ev[i].kv.mod_revision, ev[i - 1].kv.mod_revision);
  EXPECT_EQ(r.next_revision, ev[3].kv.mod_revision + 1);
}

TEST(EtcdWatch, EndsAtItsDeadline) {
  EtcdServer server;
  Watch watch(options_for({server.url()}), {.key = "/quiet/"});
  auto t0 = std::chrono::steady_clock::now();
  etcd::WatchResult r = watch.run([](const WatchBatch&) {}, t0 + 500ms);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.end, WatchEnd::deadline) << r.reason;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 3s);
  EXPECT_GT(r.next_revision, 0) << "a watch from now learns where now is";
}

TEST(EtcdWatch, ResumesFromItsRevisionAfterTheServerRestarts) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  WatchThread w(options_for({server.url()}), {.key = "/r/", .start_revision = etcd.get("/r/").revision + 1});
  w.start();
  ASSERT_TRUE(w.wait_created());
  etcd::Revision r1 = etcd.put("/r/1", "before");
  ASSERT_TRUE(w.wait_events(1));

  server.stop();
  ASSERT_TRUE(w.wait_ended()) << "the stream ends when etcd goes";
  etcd::WatchResult gone = w.join();
  EXPECT_EQ(gone.end, WatchEnd::disconnected) << etcd::to_string(gone.end) << ": " << gone.reason;
  EXPECT_EQ(gone.next_revision, r1 + 1);

  // While etcd is down a run() finds nobody.
  etcd::WatchResult down = w.watch().run([](const WatchBatch&) {});
  EXPECT_EQ(down.end, WatchEnd::unreachable) << etcd::to_string(down.end) << ": " << down.reason;

  server.start();
  etcd::Revision r2 = etcd.put("/r/2", "after");  // made before the watch is back
  w.start();
  ASSERT_TRUE(w.wait_events(2));
  etcd::Revision r3 = etcd.put("/r/3", "later");
  ASSERT_TRUE(w.wait_events(3));
  auto ev = w.events();
  ASSERT_EQ(ev.size(), 3u) << "nothing repeated, nothing lost";
  EXPECT_EQ(ev[0].kv.mod_revision, r1);
  EXPECT_EQ(ev[1].kv.mod_revision, r2);
  EXPECT_EQ(ev[1].kv.key, "/r/2");
  EXPECT_EQ(ev[2].kv.mod_revision, r3);
}

TEST(EtcdWatch, CompactionIsReportedSoTheCallerResyncs) {
  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd::Revision first = etcd.put("/c/k", "1");
  etcd.put("/c/k", "2");
  etcd::Revision last = etcd.put("/c/k", "3");
  etcd.compact(last);

  Watch watch(options_for({server.url()}), {.key = "/c/", .start_revision = first});
  int batches_with_events = 0;
  etcd::WatchResult r = watch.run([&](const WatchBatch& b) { batches_with_events += !b.events.empty(); },
                                  std::chrono::steady_clock::now() + 10s);
  EXPECT_EQ(r.end, WatchEnd::compacted) << etcd::to_string(r.end) << ": " << r.reason;
  EXPECT_EQ(r.compact_revision, last);
  EXPECT_EQ(batches_with_events, 0);

  // Reading an old revision is refused the same way.
  try {
    etcd.get("/c/k", first);
    FAIL() << "a read at a compacted revision must be refused";
  } catch (const EtcdError& e) {
    EXPECT_TRUE(e.compacted()) << e.what();
    EXPECT_EQ(e.kind(), ErrorKind::refused);
  }

  // The resync: a full read, then the watch from just after it.
  etcd::RangeResult all = etcd.get_prefix("/c/");
  watch.restart_from(all.revision + 1);
  etcd.put("/c/k", "4");
  std::vector<WatchEvent> seen;
  etcd::WatchResult again = watch.run(
      [&](const WatchBatch& b) {
        for (const auto& e : b.events) seen.push_back(e);
        if (!seen.empty()) watch.stop();
      },
      std::chrono::steady_clock::now() + 10s);
  EXPECT_EQ(again.end, WatchEnd::stopped) << etcd::to_string(again.end) << ": " << again.reason;
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kv.value, "4");
}

TEST(EtcdClient, UnreachableIsToldApartFromRefused) {
  ClientOptions o = options_for({EtcdServer::dead_url()});
  Client nobody(o);
  try {
    nobody.get("/x");
    FAIL() << "nothing listens there";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable) << e.what();
    EXPECT_TRUE(e.unreachable());
    EXPECT_NE(std::string(e.what()).find(o.endpoints[0]), std::string::npos) << "names the endpoint: " << e.what();
  }

  EtcdServer server;
  Client etcd(options_for({server.url()}));
  etcd.put("/x", "1");
  server.stop();
  try {
    etcd.get("/x");
    FAIL() << "etcd is stopped";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable) << e.what();
  }
  server.start();
  EXPECT_EQ(etcd.get("/x").kvs.at(0).value, "1") << "the same client works again once etcd is back";

  try {
    etcd.lease_revoke(12345);
    FAIL() << "no such lease";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused) << e.what();
    EXPECT_EQ(e.grpc_code(), etcd::grpc_code::not_found);
    EXPECT_EQ(e.http_status(), 404);
  }
}

TEST(EtcdClient, FailsOverToTheNextEndpoint) {
  EtcdServer server;
  const std::string dead = EtcdServer::dead_url();
  Client etcd(options_for({dead, server.url()}));
  EXPECT_EQ(etcd.endpoint(), dead);
  etcd.put("/f", "through the second");
  EXPECT_EQ(etcd.endpoint(), server.url()) << "the endpoint that answered is used next";
  EXPECT_EQ(etcd.get("/f").kvs.at(0).value, "through the second");

  // A watch fails over the same way.
  Watch watch(options_for({dead, server.url()}), {.key = "/f"});
  bool created = false;
  etcd::WatchResult r = watch.run(
      [&](const WatchBatch& b) {
        created = created || b.created;
        watch.stop();
      },
      std::chrono::steady_clock::now() + 10s);
  EXPECT_TRUE(created) << etcd::to_string(r.end) << ": " << r.reason;
  EXPECT_EQ(r.end, WatchEnd::stopped);
}

TEST(EtcdClient, AHungMemberIsLeftForTheNext) {
  EtcdServer server;
  HungMember hung;
  ClientOptions o = options_for({hung.url(), server.url()});
  o.request_timeout = 700ms;

  // A write sent to the hung member may have been applied there: reported
  // as unreachable, not repeated elsewhere...
  Client writer(o);
  try {
    writer.put("/h", "1");
    FAIL() << "the hung member never answers";
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable) << e.what();
    EXPECT_NE(std::string(e.what()).find("may have been applied"), std::string::npos) << e.what();
  }
  // ...but the next request starts at the next member.
  EXPECT_EQ(writer.endpoint(), server.url());
  writer.put("/h", "2");

  // A read is repeated on the next member at once.
  Client reader(o);
  EXPECT_EQ(reader.get("/h").kvs.at(0).value, "2");
  EXPECT_EQ(reader.endpoint(), server.url());

  // A watch the hung member never confirms moves on too.
  Watch watch(o, {.key = "/h"});
  bool created = false;
  etcd::WatchResult r = watch.run(
      [&](const WatchBatch& b) {
        created = created || b.created;
        watch.stop();
      },
      std::chrono::steady_clock::now() + 10s);
  EXPECT_TRUE(created) << etcd::to_string(r.end) << ": " << r.reason;

  // With only the hung member, a watch ends as unreachable, naming why.
  Watch alone(options_for({hung.url()}), {.key = "/h"});
  etcd::WatchResult nobody = alone.run([](const WatchBatch&) {}, std::chrono::steady_clock::now() + 10s);
  EXPECT_EQ(nobody.end, WatchEnd::unreachable) << etcd::to_string(nobody.end);
  EXPECT_NE(nobody.reason.find("not confirmed"), std::string::npos) << nobody.reason;
}

TEST(EtcdClient, SpeaksTlsWithClientCertificatesAsEtcdctlDoes) {
  EtcdServer server(EtcdServer::Mode::tls);
  ClientOptions o = options_for({server.url()});
  o.tls = server.client_tls();
  Client etcd(o);
  etcd.put("/tls", "yes");
  EXPECT_EQ(etcd.get("/tls").kvs.at(0).value, "yes");

  Watch watch(o, {.key = "/tls"});
  bool created = false;
  etcd::WatchResult r = watch.run(
      [&](const WatchBatch& b) {
        created = created || b.created;
        watch.stop();
      },
      std::chrono::steady_clock::now() + 10s);
  EXPECT_TRUE(created) << etcd::to_string(r.end) << ": " << r.reason;

  // Without the CA the server's certificate is not trusted; without the
  // client certificate the server refuses the handshake (under TLS 1.3 the
  // client learns it only as its first write fails: "Failed sending data to
  // the peer"). Neither gets an answer from etcd, so both are unreachable.
  ClientOptions no_ca = o;
  no_ca.tls.cacert.clear();
  ClientOptions no_cert = o;
  no_cert.tls.cert.clear();
  no_cert.tls.key.clear();
  for (const ClientOptions& bad : {no_ca, no_cert}) {
    Client c(bad);
    try {
      c.get("/tls");
      ADD_FAILURE() << "a TLS handshake without " << (bad.tls.cacert.empty() ? "the CA" : "a client certificate")
                    << " must fail";
    } catch (const EtcdError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::unreachable) << e.what();
      if (bad.tls.cacert.empty()) {
        EXPECT_NE(std::string(e.what()).find("SSL"), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace topo::test
