// Issue 15, published ports as a Docker user expects them: "8080:80" on
// every host address, 127.0.0.1 included; the clash rule; host ports topo
// chooses ("80", "127.0.0.1::80"), sticky across re-applies and a lost
// state dir; a container reaching its own published port (hairpin). Real
// connections between namespaces of the sandbox, curl as the judge; the
// sandbox's root namespace plays the host, "outside" a machine on its LAN.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kHost = "10.98.0.1";     // the host's address towards "outside"
const char* kOutside = "10.98.0.2";  // the outside machine

std::string manifest(const std::string& web_ports, const std::string& peer_ports = "") {
  return std::string(R"(version: 1
networks:
  - name: pfront
    subnet: 172.30.7.0/24
containers:
  - name: pweb
    ports: )") + web_ports + "\n  - name: ppeer\n" +
         (peer_ports.empty() ? "" : "    ports: " + peer_ports + "\n") + R"(attachments:
  - {container: pweb, network: pfront, ipv4: 172.30.7.10}
  - {container: ppeer, network: pfront, ipv4: 172.30.7.11}
)";
}

// A server in a namespace that stops by itself (timeout), and is killed
// when this goes away.
class Server {
 public:
  Server(const std::string& ns, const std::string& command, const std::string& log) {
    const std::string prefix = ns.empty() ? "" : "ip netns exec " + ns + " ";
    CmdResult r = sh(prefix + "timeout 60 " + command + " >" + log + " 2>&1 & echo $!");
    pid_ = r.exit_code == 0 ? std::atoi(r.out.c_str()) : 0;
  }
  ~Server() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    sh("i=0; while kill -0 " + std::to_string(pid_) + " 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done");
    kill(pid_, SIGKILL);
  }
  bool started() const { return pid_ > 0; }

 private:
  int pid_ = 0;
};

std::string curl(const std::string& ns, const std::string& url) {
  const std::string prefix = ns.empty() ? "" : "ip netns exec " + ns + " ";
  CmdResult r = sh(prefix + "curl -s --max-time 3 " + url);
  return r.exit_code == 0 ? r.out : "";
}

class E2EPorts : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    if (HasFatalFailure()) return;
    CmdResult r = sh(std::string("set -e; ip netns add poutside; ip link add pup0 type veth peer name eth0 netns poutside;") +
                     "ip addr add " + kHost + "/24 dev pup0; ip link set pup0 up;" +
                     "ip -n poutside addr add " + kOutside + "/24 dev eth0; ip -n poutside link set eth0 up;" +
                     "ip -n poutside link set lo up");
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    www_ = dir_.path() + "/www";
    std::filesystem::create_directories(www_);
    std::ofstream(www_ + "/index.html") << "served-by-pweb\n";
  }
  void TearDown() override {
    E2ETest::TearDown();
    sh("ip link del pup0 2>/dev/null; ip netns del poutside 2>/dev/null");
  }

  void apply_ok() {
    CmdResult a = apply();
    ASSERT_EQ(a.exit_code, 0) << a.describe();
  }
  void expect_no_changes(const std::string& when) {
    CmdResult p = plan({"--detailed-exitcode"});
    EXPECT_EQ(p.exit_code, 0) << when << ": the plan wants to change things\n" << p.describe();
  }
  // The web server in pweb, port 80 of its address.
  std::unique_ptr<Server> serve() {
    auto s = std::make_unique<Server>("pweb", "python3 -m http.server 80 --bind 172.30.7.10 --directory " + www_,
                                      dir_.path() + "/pweb.log");
    EXPECT_TRUE(s->started());
    for (int i = 0; i < 50 && curl("pweb", "http://172.30.7.10:80/").empty(); ++i) sh("sleep 0.1");
    EXPECT_EQ(curl("pweb", "http://172.30.7.10:80/"), "served-by-pweb\n") << "the server in pweb did not start";
    return s;
  }
  // The host ports of pweb's publish intents, as `topo show` lists them.
  std::vector<std::string> published() {
    CmdResult s = topo({"show", "-o", "json"});
    EXPECT_EQ(s.exit_code, 0) << s.describe();
    std::vector<std::string> out;
    const nlohmann::json doc = nlohmann::json::parse(s.out);  // named: a range-for over a temporary's member dangles
    for (const auto& r : doc.at("resources"))
      if (r.at("kind") == "firewall" && r.at("attrs").value("intent", "") == "publish")
        out.push_back(r.at("name").get<std::string>() + (r.at("attrs").contains("chosen") ? " chosen" : ""));
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string www_;
};

const std::string kServed = "served-by-pweb\n";

// "8080:80" alone: the host's own 127.0.0.1:8080 reaches the container, as
// every other host address does (before, only when some "127.0.0.1:..."
// mapping on the bridge had turned route_localnet on).
TEST_F(E2EPorts, APortOnEveryAddressIsReachableOnTheHostsLoopbackAndFromOutside) {
  dir_.write("topology.yaml", manifest(R"(["8080:80"])"));
  apply_ok();
  auto server = serve();
  EXPECT_EQ(curl("", "http://127.0.0.1:8080/"), kServed) << "from the host, on 127.0.0.1\n" << sh("nft list ruleset").out;
  EXPECT_EQ(curl("", std::string("http://") + kHost + ":8080/"), kServed) << "from the host, on its address";
  EXPECT_EQ(curl("poutside", std::string("http://") + kHost + ":8080/"), kServed) << "from outside";
  EXPECT_EQ(curl("ppeer", std::string("http://") + kHost + ":8080/"), kServed) << "from a container of the bridge";
  expect_no_changes("after apply");
}

// A container reaches its own published port through a host address (the
// bridge's gateway, or any other): hairpin, whether or not the kernel passes
// bridged traffic through netfilter (br_netfilter).
TEST_F(E2EPorts, AContainerReachesItsOwnPublishedPortThroughAHostAddress) {
  dir_.write("topology.yaml", manifest(R"(["8080:80"])"));
  apply_ok();
  auto server = serve();
  EXPECT_EQ(curl("pweb", std::string("http://") + kHost + ":8080/"), kServed)
      << "pweb through the host's address\n" << sh("nft list ruleset; ip -d link show master br-pfront").out;
  EXPECT_EQ(curl("pweb", "http://172.30.7.1:8080/"), kServed) << "pweb through its gateway";
  EXPECT_EQ(curl("ppeer", "http://172.30.7.1:8080/"), kServed) << "another container of the bridge";
  expect_no_changes("after apply");
}

// The clash rule (loader): two containers cannot share 8080 on overlapping
// addresses (every address includes 127.0.0.1); one container may repeat
// its own port on 127.0.0.1, which is then published once.
TEST_F(E2EPorts, EveryAddressAndLoopbackClashOnlyAcrossContainers) {
  dir_.write("topology.yaml", manifest(R"(["8080:80"])", R"(["127.0.0.1:8080:80"])"));
  CmdResult refused = apply();
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.all().find("container \"ppeer\": host port 127.0.0.1:8080/tcp is already published by container "
                               "\"pweb\""),
            std::string::npos)
      << refused.describe();
  const auto namespaces = netns_list();
  EXPECT_EQ(std::count(namespaces.begin(), namespaces.end(), "pweb"), 0) << "a refused apply changed something";

  dir_.write("topology.yaml", manifest(R"(["8080:80", "127.0.0.1:8080:80"])", R"(["8080:80/udp"])"));
  apply_ok();
  auto server = serve();
  EXPECT_EQ(curl("", "http://127.0.0.1:8080/"), kServed) << sh("nft list ruleset").out;
  EXPECT_EQ(curl("poutside", std::string("http://") + kHost + ":8080/"), kServed);
  expect_no_changes("after apply");
}

// "80" and "127.0.0.1::80": topo chooses host ports from the ephemeral
// range (the lowest free: the sandbox's range starts at 32768, and a port a
// program listens on is skipped), keeps them across re-applies, containers
// added before them, and a deleted state dir (read back from the firewall),
// and shows them.
TEST_F(E2EPorts, ChosenHostPortsAreStableAcrossReapplyAndALostStateDir) {
  const std::string range = sh("cat /proc/sys/net/ipv4/ip_local_port_range").out;
  ASSERT_EQ(range.substr(0, 6), "32768\t") << "the sandbox's range is the kernel default";
  // A program of the host listens on 32768: not chosen.
  Server squatter("", "python3 -c \"import socket,time; s=socket.socket(); "
                      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 32768)); "
                      "s.listen(); time.sleep(60)\"",
                  dir_.path() + "/squatter.log");
  ASSERT_TRUE(squatter.started());
  for (int i = 0; i < 50 && sh("grep -q ':8000 00000000:0000 0A' /proc/net/tcp").exit_code != 0; ++i) sh("sleep 0.1");
  dir_.write("topology.yaml", manifest(R"(["80", "127.0.0.1::80", {container_port: 80, protocol: udp}])"));
  apply_ok();
  const std::vector<std::string> first = published();
  EXPECT_EQ(first, (std::vector<std::string>{"publish 0.0.0.0:32768/udp chosen", "publish 0.0.0.0:32769/tcp chosen",
                                             "publish 127.0.0.1:32770/tcp chosen"}))
      << ::testing::PrintToString(first);
  auto server = serve();
  EXPECT_EQ(curl("", "http://127.0.0.1:32769/"), kServed) << sh("nft list ruleset").out;
  EXPECT_EQ(curl("", "http://127.0.0.1:32770/"), kServed);
  EXPECT_EQ(curl("poutside", std::string("http://") + kHost + ":32769/"), kServed);
  EXPECT_EQ(curl("poutside", std::string("http://") + kHost + ":32770/"), "") << "127.0.0.1 only";
  expect_no_changes("after apply");

  // A container added first in model order with a port of its own to choose,
  // and a written port: the chosen ones do not move.
  dir_.write("topology.yaml", manifest(R"(["80", "127.0.0.1::80", {container_port: 80, protocol: udp}])", R"(["81"])"));
  apply_ok();
  std::vector<std::string> grown = published();
  EXPECT_EQ(grown.size(), 4u) << ::testing::PrintToString(grown);
  for (const auto& f : first)
    EXPECT_NE(std::find(grown.begin(), grown.end(), f), grown.end()) << f << " moved: " << ::testing::PrintToString(grown);

  // The state dir is lost: the firewall still names the chosen ports.
  const char* state = std::getenv("TOPO_STATE_DIR");
  ASSERT_NE(state, nullptr);
  for (const auto& entry : std::filesystem::directory_iterator(state)) std::filesystem::remove_all(entry.path());
  expect_no_changes("with the state dir gone");
  apply_ok();
  EXPECT_EQ(published(), grown);
  EXPECT_EQ(curl("", "http://127.0.0.1:32769/"), kServed);
}

// "8080:80/udp" turns route_localnet on for the bridge (127.0.0.1 is one of
// every address); a packet for 127.0.0.1:8080 arriving from a container (or
// a LAN neighbour routing 127.0.0.1 via the host) must still not be DNATed
// to the published container (moby#45610): only the host's own are.
TEST_F(E2EPorts, LoopbackFromAContainerIsNotTranslatedToAPortOnEveryAddress) {
  dir_.write("topology.yaml", manifest(R"(["8080:80/udp"])"));
  apply_ok();
  ASSERT_EQ(sh("cat /proc/sys/net/ipv4/conf/br-pfront/route_localnet").out, "1\n");
  const std::string got = dir_.path() + "/udp.got";
  Server listener("pweb", "python3 -c \"import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                          "s.bind(('172.30.7.10', 80))\n"
                          "while True:\n d=s.recv(100); open(sys.argv[1],'a').write(d.decode()+'\\n')\" " + got,
                  dir_.path() + "/listener.log");
  ASSERT_TRUE(listener.started());
  sh("sleep 0.5");
  // ppeer sends UDP to 127.0.0.1:8080 in frames addressed to the bridge (its
  // own stack would not route 127/8 out).
  const std::string bridge_mac = sh("tr -d '\\n' </sys/class/net/br-pfront/address").out;
  CmdResult send = sh("ip netns exec ppeer python3 - " + bridge_mac + " <<'EOF'\n"
                      "import socket, struct, sys\n"
                      "def csum(b):\n"
                      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16\n"
                      "    return ~s & 0xffff\n"
                      "sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
                      "sock.bind(('eth0', 0))\n"
                      "payload = b'from-container'\n"
                      "udp = struct.pack('!HHHH', 40000, 8080, 8 + len(payload), 0) + payload\n"
                      "ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,\n"
                      "                 socket.inet_aton('172.30.7.11'), socket.inet_aton('127.0.0.1'))\n"
                      "ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]\n"
                      "frame = bytes.fromhex(sys.argv[1].replace(':', '')) + sock.getsockname()[4] + b'\\x08\\x00' + ip + udp\n"
                      "for _ in range(3): sock.send(frame)\n"
                      "EOF");
  EXPECT_EQ(send.exit_code, 0) << send.describe();
  sh("sleep 0.5");
  // The host's own datagram to 127.0.0.1:8080 is published as meant.
  sh("python3 -c \"import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'from-host', "
     "('127.0.0.1', 8080))\"; sleep 0.5");
  EXPECT_EQ(sh("cat " + got).out, "from-host\n") << "a container's 127.0.0.1 reached the published port\n"
                                                 << sh("nft list ruleset").out;
}

// The plan line of a chosen port says so.
TEST_F(E2EPorts, ThePlanShowsAChosenPort) {
  dir_.write("topology.yaml", manifest(R"(["127.0.0.1::80"])"));
  CmdResult p = plan();
  EXPECT_NE(p.out.find("publish 127.0.0.1:32768/tcp (to pweb 172.30.7.10:80, host port chosen by topo)"),
            std::string::npos)
      << p.describe();
}

}  // namespace
}  // namespace topo::e2e
