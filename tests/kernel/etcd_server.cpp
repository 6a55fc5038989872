#include "tests/kernel/etcd_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "reconciler/cluster/etcd/client.hpp"
#include "reconciler/cluster/etcd/error.hpp"

namespace topo::test {
namespace {

// TOPO_TEST_ETCD runs another etcd build (a newer release, say) instead.
std::string etcd_binary() {
  const char* other = std::getenv("TOPO_TEST_ETCD");
  return other && *other ? other : "/usr/bin/etcd";
}

// A port the kernel just gave out on `address` (IPv4) and took back. The
// sandbox's network namespace is the test's own, so nobody else takes it
// meanwhile.
int free_port(const std::string& address = "127.0.0.1") {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    throw std::runtime_error("etcd test server: not an IPv4 address: " + address);
  }
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error("bind " + address + ":0: " + std::strerror(err) +
                             (err == EADDRNOTAVAIL ? " (the address is on no link of this namespace)" : ""));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string local_url(int port, const std::string& address = "127.0.0.1") {
  return "http://" + address + ":" + std::to_string(port);
}

}  // namespace

EtcdServer::EtcdServer(Mode mode) : EtcdServer(mode, "127.0.0.1") {}

EtcdServer::EtcdServer(Mode mode, std::string client_address)
    : mode_(mode), client_address_(std::move(client_address)) {
  binary_ = etcd_binary();
  if (::access(binary_.c_str(), X_OK) != 0)
    throw std::runtime_error(binary_ + " is missing: the etcd tests need Debian's etcd-server; run scripts/setup.sh");
  // Under the sandbox's /run (tmpfs, private to it) when there is one.
  std::string base = ::access("/run", W_OK) == 0 ? "/run" : "/tmp";
  std::string tmpl = base + "/topo-etcd-test.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
  dir_ = buf.data();
  client_port_ = free_port(client_address_);
  do peer_port_ = free_port();
  while (peer_port_ == client_port_);
  try {
    if (mode_ == Mode::tls) make_certificates();
    start();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

EtcdServer::~EtcdServer() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string EtcdServer::url() const {
  std::string u = local_url(client_port_, client_address_);
  return mode_ == Mode::tls ? "https" + u.substr(4) : u;
}

etcd::TlsOptions EtcdServer::client_tls() const {
  return etcd::TlsOptions{dir_ + "/ca.pem", dir_ + "/client.pem", dir_ + "/client.key", false};
}

// A CA, and a server (for 127.0.0.1 and the client address) and a client certificate it signed,
// valid for a day: P-256 keys, quick to make.
void EtcdServer::make_certificates() {
  const std::string d = dir_;
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  std::ofstream(d + "/san.ext") << "subjectAltName=IP:127.0.0.1"
                                 << (client_address_ != "127.0.0.1" ? ",IP:" + client_address_ : "") << "\n";
  const std::string cmd =
      "set -e; cd '" + d + "'; exec 2>openssl.log; "
      "openssl req -x509 " + key + " -keyout ca.key -out ca.pem -days 1 -subj /CN=topo-test-ca; "
      "openssl req " + key + " -keyout server.key -out server.csr -subj /CN=127.0.0.1; "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 "
      "-extfile san.ext; "
      "openssl req " + key + " -keyout client.key -out client.csr -subj /CN=topo-test-client; "
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 1";
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream in(d + "/openssl.log");
    std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw std::runtime_error("making the test certificates failed (openssl; scripts/setup.sh installs it): " + log);
  }
}

std::string EtcdServer::dead_url() { return local_url(free_port()); }

std::string EtcdServer::log_tail() const {
  std::ifstream in(dir_ + "/etcd.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ostringstream out;
  for (size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); ++i) out << lines[i] << "\n";
  return out.str();
}

void EtcdServer::start() {
  if (pid_ > 0) return;
  const std::string peer = local_url(peer_port_);
  const std::string client = url();
  std::vector<std::string> args = {
      binary_,
      "--name=topo-test",
      "--data-dir=" + dir_ + "/data",
      "--listen-client-urls=" + client,
      "--advertise-client-urls=" + client,
      "--listen-peer-urls=" + peer,
      "--initial-advertise-peer-urls=" + peer,
      "--initial-cluster=topo-test=" + peer,
      "--initial-cluster-state=new",
      // No metrics or profiling listeners beyond the client URL.
      "--enable-pprof=false",
  };
  if (mode_ == Mode::tls) {
    args.push_back("--cert-file=" + dir_ + "/server.pem");
    args.push_back("--key-file=" + dir_ + "/server.key");
    args.push_back("--trusted-ca-file=" + dir_ + "/ca.pem");
    args.push_back("--client-cert-auth");
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = dir_ + "/etcd.log";
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Dies with the test process, whatever kills it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  wait_until_serving();
}

void EtcdServer::wait_until_serving() {
  etcd::ClientOptions options;
  options.endpoints = {url()};
  if (mode_ == Mode::tls) options.tls = client_tls();
  options.connect_timeout = std::chrono::milliseconds(200);
  options.request_timeout = std::chrono::milliseconds(1000);
  etcd::Client client(options);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("etcd exited while starting (status " + std::to_string(status) + "); its log:\n" +
                               log_tail());
    }
    try {
      client.get("topo-test-ready");
      return;
    } catch (const etcd::EtcdError& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop();
  throw std::runtime_error("etcd did not serve within 20 s (" + last + "); its log:\n" + log_tail());
}

void EtcdServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

}  // namespace topo::test
