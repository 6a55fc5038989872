#pragma once
// A real etcd for the cluster-mode tests: /usr/bin/etcd (Debian's
// etcd-server, installed by scripts/setup.sh; $TOPO_TEST_ETCD names another
// build), started inside the test's
// sandbox on 127.0.0.1 (or on another address of the sandbox's own namespace,
// such as the simulated hosts' switch) with ports of its own and a throwaway data dir under
// the sandbox's private /run (a tmpfs: a killed test leaves nothing behind).
//
// It never outlives the test: the destructor stops it (SIGTERM, then SIGKILL)
// and removes the data dir, and the child asks the kernel to SIGKILL it when
// the test process dies (PR_SET_PDEATHSIG), so a crash cannot leave it running.
#include <sys/types.h>

#include <string>

#include "reconciler/cluster/etcd/options.hpp"

namespace topo::test {

class EtcdServer {
 public:
  enum class Mode {
    plain,  // http://
    // https:// with a CA, server and client certificates made for the test
    // (openssl), and --client-cert-auth: a client needs all three files.
    tls,
  };

  // Starts etcd and waits until it serves requests. Throws std::runtime_error
  // (a test failure) when /usr/bin/etcd is missing, naming scripts/setup.sh,
  // or when it does not come up, with the tail of its log.
  explicit EtcdServer(Mode mode = Mode::plain);
  // Serves clients on `client_address` (an IPv4 address that must already be
  // on a link of the sandbox's namespace, e.g. the multi-host switch's
  // 10.99.0.254) instead of 127.0.0.1; the peer URL stays on 127.0.0.1.
  EtcdServer(Mode mode, std::string client_address);
  ~EtcdServer();
  EtcdServer(const EtcdServer&) = delete;
  EtcdServer& operator=(const EtcdServer&) = delete;

  // Stops the server (SIGTERM, SIGKILL after 5 s); the data dir stays, so
  // start() brings back the same cluster with the same keys and revisions.
  void stop();
  // Starts it again on the same ports and data dir and waits until it serves.
  void start();
  bool running() const { return pid_ > 0; }
  // The etcd process while it runs (-1 when stopped).
  pid_t pid() const { return pid_; }

  // "http://ADDRESS:PORT" ("https://" in tls mode); ADDRESS is 127.0.0.1
  // unless the constructor was given another.
  std::string url() const;
  // In tls mode: the CA, client certificate and key a client needs.
  etcd::TlsOptions client_tls() const;
  // A URL on which nothing listens (a port just released): connections are refused.
  static std::string dead_url();
  // The last lines of etcd's log, for failure messages.
  std::string log_tail() const;

 private:
  void wait_until_serving();
  void make_certificates();

  Mode mode_;
  std::string binary_;    // /usr/bin/etcd, or $TOPO_TEST_ETCD
  std::string dir_;       // holds data/ and etcd.log
  std::string client_address_ = "127.0.0.1";
  int client_port_ = 0;
  int peer_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace topo::test
