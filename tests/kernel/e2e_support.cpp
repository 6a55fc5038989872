#include "tests/kernel/e2e_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace topo::e2e {
namespace {

// Closes on scope exit; -1 means empty.
class Fd {
 public:
  explicit Fd(int fd = -1) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string quote(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a.find_first_of(" \t\n'\"$") == std::string::npos ? a : "'" + a + "'";
  }
  return s;
}

}  // namespace

std::string CmdResult::describe() const {
  return "$ " + command + "\nexit " + std::to_string(exit_code) + "\n--- stdout\n" + out +
         "--- stderr\n" + err;
}

CmdResult run(const std::vector<std::string>& argv) {
  CmdResult r;
  r.command = quote(argv);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2: " + std::string(strerror(errno)));
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2: " + std::string(strerror(errno)));
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork: " + std::string(strerror(errno)));
  if (pid == 0) {
    ::dup2(out_w.get(), STDOUT_FILENO);
    ::dup2(err_w.get(), STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::execvp(cargv[0], cargv.data());
    std::string msg = "exec " + argv[0] + ": " + strerror(errno) + "\n";
    (void)!::write(STDERR_FILENO, msg.data(), msg.size());
    ::_exit(127);
  }
  out_w.reset();
  err_w.reset();

  // Read both pipes together so that neither can fill up and block the child.
  pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_count = 2;
  char buf[8192];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

CmdResult sh(const std::string& script) { return run({"/bin/sh", "-c", script}); }

CmdResult topo(const std::vector<std::string>& args) {
  std::vector<std::string> argv{TOPO_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last;
}

namespace {

int parent_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 1));
  std::string state;
  int ppid = 0;
  rest >> state >> ppid;
  return ppid;
}

}  // namespace

std::string sandbox_problem() {
  struct stat self {}, other {};
  if (::stat("/proc/self/ns/net", &self) != 0) return "cannot stat /proc/self/ns/net";
  if (::stat("/proc/1/ns/net", &other) == 0) {
    if (self.st_ino == other.st_ino && self.st_dev == other.st_dev)
      return "this process is in PID 1's network namespace: the machine's own network. "
             "Run it through tests/sandbox.sh (ctest does).";
  } else {
    // PID 1's namespace cannot be read (e.g. inside a container without
    // ptrace rights over it): then some ancestor must be in another network
    // namespace, the one the sandbox was made from.
    bool nested = false;
    for (int pid = parent_of(::getpid()); pid > 1 && !nested; pid = parent_of(pid)) {
      if (::stat(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), &other) != 0) continue;
      nested = self.st_ino != other.st_ino || self.st_dev != other.st_dev;
    }
    if (!nested)
      return "PID 1's network namespace cannot be read and no ancestor process is in another "
             "network namespace: this looks like the machine's own network. Run it through tests/sandbox.sh.";
  }
  const char* state = std::getenv("TOPO_STATE_DIR");
  if (state == nullptr || *state == '\0') return "TOPO_STATE_DIR is not set: run through tests/sandbox.sh";
  const char* netns = std::getenv("TOPO_NETNS_DIR");
  if (netns == nullptr || *netns == '\0') return "TOPO_NETNS_DIR is not set: run through tests/sandbox.sh";
  return "";
}

ManifestDir::ManifestDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "topo-e2e.XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp: " + std::string(strerror(errno)));
  dir_ = tmpl;
}

void ManifestDir::move_under(const std::string& base) {
  std::string tmpl = base + "/topo-e2e.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp: " + std::string(strerror(errno)));
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  dir_ = tmpl;
}

ManifestDir::~ManifestDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string ManifestDir::write(const std::string& name, const std::string& yaml) {
  auto p = dir_ / name;
  std::ofstream f(p, std::ios::trunc);
  f << yaml;
  f.close();
  if (!f) throw std::runtime_error("cannot write " + p.string());
  return p.string();
}

void ManifestDir::remove(const std::string& name) { std::filesystem::remove(dir_ / name); }

nlohmann::json ip_json(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"ip", "-j"};
  argv.insert(argv.end(), args.begin(), args.end());
  CmdResult r = run(argv);
  if (r.exit_code != 0) throw std::runtime_error(r.describe());
  // ip prints nothing at all for an empty namespace list.
  if (r.out.find_first_not_of(" \n") == std::string::npos) return nlohmann::json::array();
  return nlohmann::json::parse(r.out);
}

namespace {
std::vector<std::string> ns_args(const std::string& ns) {
  return ns.empty() ? std::vector<std::string>{} : std::vector<std::string>{"-n", ns};
}
std::vector<std::string> with_ns(const std::string& ns, std::vector<std::string> rest) {
  auto v = ns_args(ns);
  v.insert(v.end(), rest.begin(), rest.end());
  return v;
}
std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}
}  // namespace

std::vector<std::string> netns_list() {
  std::vector<std::string> names;
  for (const auto& n : ip_json({"netns", "list"})) names.push_back(n.at("name").get<std::string>());
  std::sort(names.begin(), names.end());
  return names;
}

bool link_exists(const std::string& ns, const std::string& ifname) {
  std::vector<std::string> argv{"ip"};
  for (auto& a : with_ns(ns, {"link", "show", "dev", ifname})) argv.push_back(a);
  CmdResult r = run(argv);
  // Tell "no such device" apart from a broken command, which must not read as absence.
  if (r.exit_code != 0 && r.err.find("does not exist") == std::string::npos &&
      r.err.find("Cannot find device") == std::string::npos &&
      r.err.find("Cannot open network namespace") == std::string::npos)
    throw std::runtime_error(r.describe());
  return r.exit_code == 0;
}

std::string link_with_alias(const std::string& alias) {
  for (const auto& l : ip_json({"link", "show"}))
    if (str(l, "ifalias") == alias) return str(l, "ifname");
  return "";
}

std::vector<std::string> topo_aliases(const std::string& ns) {
  std::vector<std::string> out;
  for (const auto& l : ip_json(with_ns(ns, {"link", "show"}))) {
    std::string a = str(l, "ifalias");
    if (a.rfind("topo", 0) == 0) out.push_back(str(l, "ifname") + " " + a);
  }
  return out;
}

std::vector<std::string> ipv4_addrs(const std::string& ns, const std::string& ifname) {
  std::vector<std::string> out;
  for (const auto& l : ip_json(with_ns(ns, {"-4", "addr", "show", "dev", ifname})))
    for (const auto& a : l.value("addr_info", nlohmann::json::array()))
      out.push_back(str(a, "local") + "/" + str(a, "prefixlen"));
  return out;
}

std::string kernel_snapshot() {
  std::vector<std::string> lines;
  std::vector<std::string> namespaces{""};
  for (const auto& n : netns_list()) {
    namespaces.push_back(n);
    lines.push_back("netns " + n);
  }
  for (const auto& ns : namespaces) {
    std::string where = "[" + ns + "] ";
    for (const auto& l : ip_json(with_ns(ns, {"-d", "link", "show"}))) {
      bool up = false;
      for (const auto& f : l.value("flags", nlohmann::json::array())) up |= f == "UP";
      std::string kind = l.contains("linkinfo") ? str(l["linkinfo"], "info_kind") : "";
      lines.push_back(where + "link " + str(l, "ifname") + " kind=" + kind + (up ? " up" : " down") +
                      " mtu=" + str(l, "mtu") + " mac=" + str(l, "address") + " master=" + str(l, "master") +
                      " alias=" + str(l, "ifalias"));
    }
    for (const auto& l : ip_json(with_ns(ns, {"addr", "show"})))
      for (const auto& a : l.value("addr_info", nlohmann::json::array())) {
        // Link-local IPv6 addresses come and go with the kernel's own timing.
        if (str(a, "scope") == "link" && str(a, "family") == "inet6") continue;
        lines.push_back(where + "addr " + str(l, "ifname") + " " + str(a, "local") + "/" + str(a, "prefixlen"));
      }
    for (const auto& r : ip_json(with_ns(ns, {"-4", "route", "show", "table", "main"})))
      lines.push_back(where + "route " + str(r, "dst") + " via=" + str(r, "gateway") + " dev=" + str(r, "dev") +
                      " proto=" + str(r, "protocol"));
  }
  std::sort(lines.begin(), lines.end());
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

CmdResult add_outside_machine(const std::string& ns, const std::string& uplink, const std::string& host_address,
                              const std::string& outside_address) {
  return sh("set -e; ip netns add " + ns + "; ip link add " + uplink + " type veth peer name eth0 netns " + ns +
            "; ip addr add " + host_address + "/24 dev " + uplink + "; ip link set " + uplink + " up; ip -n " + ns +
            " addr add " + outside_address + "/24 dev eth0; ip -n " + ns + " link set eth0 up; ip -n " + ns +
            " link set lo up");
}

void remove_outside_machine(const std::string& ns, const std::string& uplink) {
  sh("ip link del " + uplink + " 2>/dev/null; ip netns del " + ns + " 2>/dev/null");
}

bool ping(const std::string& ns, const std::string& address) {
  // Tried again until a first reply, for up to ten seconds. One ping with a
  // count of one gives up at its first error, and a neighbour that failed to
  // resolve is one: on a bridge port just made, frames are dropped until the
  // kernel's linkwatch passes the carrier on, which a busy machine (a
  // namespace torn down by a parallel test holds the RTNL lock) delays for
  // seconds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    if (run({"ip", "netns", "exec", ns, "ping", "-c1", "-W1", address}).exit_code == 0) return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

bool no_reply(const std::string& ns, const std::string& address) {
  return run({"ip", "netns", "exec", ns, "ping", "-c1", "-i0.2", "-w2", address}).exit_code != 0;
}

}  // namespace topo::e2e

namespace topo::e2e {

nlohmann::json link_json(const std::string& ns, const std::string& ifname) {
  if (!link_exists(ns, ifname)) return nullptr;
  auto j = ip_json(with_ns(ns, {"-d", "link", "show", "dev", ifname}));
  return j.empty() ? nlohmann::json(nullptr) : j.at(0);
}

std::string ipv4_of(const std::string& ns, const std::string& ifname) {
  auto addrs = ipv4_addrs(ns, ifname);
  return addrs.empty() ? "" : addrs.front().substr(0, addrs.front().find('/'));
}

void E2ETest::SetUp() {
  std::string problem = sandbox_problem();
  if (!problem.empty()) GTEST_FAIL() << "refusing to run an end-to-end test: " << problem;
  sandboxed_ = true;
}

void E2ETest::TearDown() {
  if (!sandboxed_) return;
  CmdResult r = destroy();
  EXPECT_EQ(r.exit_code, 0) << "cleanup failed\n" << r.describe();
}

CmdResult E2ETest::apply(const std::vector<std::string>& flags) {
  std::vector<std::string> args{"apply", dir_.path()};
  args.insert(args.end(), flags.begin(), flags.end());
  return topo(args);
}

CmdResult E2ETest::plan(const std::vector<std::string>& flags) {
  std::vector<std::string> args{"plan", dir_.path()};
  args.insert(args.end(), flags.begin(), flags.end());
  return topo(args);
}

CmdResult E2ETest::destroy(const std::vector<std::string>& flags) {
  std::vector<std::string> args{"destroy", dir_.path()};
  args.insert(args.end(), flags.begin(), flags.end());
  return topo(args);
}

}  // namespace topo::e2e
