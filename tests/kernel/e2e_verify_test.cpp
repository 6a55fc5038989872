// topo verify (issue 18, cli.md `verify`, manifest.md "checks"): the checks run
// for real from inside the containers' namespaces, ICMP, TCP, UDP and names;
// a check that does not hold is named and fails the command; --implied adds
// what the topology promises; apply --verify keeps what it applied.
#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

// front: a and b. back (icc: false): b and c. Servers in b: TCP 8080, UDP echo 5353.
const char* kTopology = R"(version: 1
networks:
  - {name: front, subnet: 10.71.0.0/24}
  - {name: back, subnet: 10.72.0.0/24, icc: false}
containers:
  - name: a
  - name: b
  - name: c
attachments:
  - {container: a, network: front, ipv4: 10.71.0.10}
  - {container: b, network: front, interface: eth0, ipv4: 10.71.0.20, aliases: [web]}
  - {container: b, network: back, interface: eth1, ipv4: 10.72.0.20}
  - {container: c, network: back, ipv4: 10.72.0.30}
)";

class E2EVerify : public E2ETest {
 protected:
  void TearDown() override {
    sh("pkill -f 'topo-verify-test-server' 2>/dev/null");
    E2ETest::TearDown();
  }
  // Servers that stop by themselves after a minute.
  void start_servers() {
    const std::string tcp =
        "import socket,sys\n# topo-verify-test-server\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
        "socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',8080));s.listen(8)\nwhile True:\n c,_=s.accept();c.close()\n";
    const std::string udp =
        "import socket\n# topo-verify-test-server\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
        "s.bind(('0.0.0.0',5353))\nwhile True:\n d,p=s.recvfrom(512);s.sendto(d,p)\n";
    dir_.write("tcp.py.txt", tcp);
    dir_.write("udp.py.txt", udp);
    CmdResult r = sh("cd " + dir_.path() + " && (ip netns exec b timeout 60 python3 tcp.py.txt topo-verify-test-server >/dev/null 2>&1 &) && "
                     "(ip netns exec b timeout 60 python3 udp.py.txt topo-verify-test-server >/dev/null 2>&1 &) && "
                     "for i in $(seq 50); do ip netns exec b ss -ltn | grep -q :8080 && ip netns exec b ss -lun | grep -q :5353 && exit 0; sleep 0.1; done; exit 1");
    ASSERT_EQ(r.exit_code, 0) << "test servers did not start\n" << r.describe();
  }
  CmdResult verify(const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args{"verify", dir_.path()};
    args.insert(args.end(), flags.begin(), flags.end());
    return topo(args);
  }
};

TEST_F(E2EVerify, ChecksThatHoldPassAndEachKindIsReallyTried) {
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: a, to: b}
  - {from: a, to: b, port: 8080}
  - {from: a, to: b, port: 5353, protocol: udp}
  - {from: a, to: b, port: 5354, protocol: udp, expect: unreachable}
  - {from: a, to: b, port: 8081, expect: unreachable}
  - {from: a, resolve: web}
  - {from: a, resolve: c, expect: unreachable}
  - {from: a, to: c, expect: unreachable, timeout: 1}
)");
  ASSERT_EQ(apply().exit_code, 0);
  start_servers();
  CmdResult r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(last_line(r.out), "8 passed, 0 failed") << r.describe();
  EXPECT_NE(r.out.find("a -> b (10.71.0.20):8080/tcp: expected reachable, connected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a -> b (10.71.0.20):5353/udp: expected reachable, a reply of 12 bytes"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(":5354/udp: expected unreachable, port unreachable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":8081/tcp: expected unreachable, connection refused"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a -> resolve web: expected reachable, resolved to 10.71.0.20"), std::string::npos) << r.out;
}

TEST_F(E2EVerify, ACheckThatDoesNotHoldIsNamedAndExitsOne) {
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: a, to: b}
  - {from: a, to: b, expect: unreachable}
  - {from: c, to: b, port: 8080}
)");
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(last_line(r.out), "1 passed, 2 failed") << r.describe();
  EXPECT_NE(r.out.find("FAIL  a -> b (10.71.0.20) (icmp): expected unreachable, echo reply"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("m.yaml:17:5]"), std::string::npos) << "the failing check's place in its file\n" << r.out;
  // Nothing listens: refused, and told so.
  EXPECT_NE(r.out.find("FAIL  c -> b (10.72.0.20):8080/tcp: expected reachable, "), std::string::npos) << r.out;

  CmdResult tap = verify({"-o", "tap"});
  EXPECT_EQ(tap.exit_code, 1);
  EXPECT_EQ(tap.out.rfind("TAP version 13\n1..3\nok 1 - a -> b", 0), 0u) << tap.out;
  EXPECT_NE(tap.out.find("\nnot ok 2 - a -> b (10.71.0.20) (icmp) unreachable\n"), std::string::npos) << tap.out;
  CmdResult json = verify({"-o", "json"});
  EXPECT_EQ(json.exit_code, 1);
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["format_version"], 1);
  EXPECT_EQ(doc["passed"], 1);
  EXPECT_EQ(doc["failed"], 2);
  EXPECT_EQ(doc["checks"][1]["passed"], false);
  EXPECT_EQ(doc["checks"][1]["reached"], true);
  EXPECT_EQ(doc["checks"][2]["port"], 8080);
}

TEST_F(E2EVerify, ImpliedChecksHoldOnIccFalseAndIsolatedNetworks) {
  dir_.write("m.yaml", kTopology);
  dir_.write("n.yaml", R"(version: 1
networks:
  - {name: other, subnet: 10.73.0.0/24}
  - {name: inner, subnet: 10.74.0.0/24, internal: true}
containers:
  - name: d
  - name: e
attachments:
  - {container: d, network: other, ipv4: 10.73.0.40}
  - {container: e, network: inner, ipv4: 10.74.0.50}
)");
  ASSERT_EQ(apply().exit_code, 0);
  CmdResult r = verify({"--implied", "-o", "json"});
  auto doc = nlohmann::json::parse(r.out);
  std::string failed;
  for (const auto& c : doc["checks"])
    if (!c["passed"].get<bool>()) failed += c.dump() + "\n";
  EXPECT_EQ(r.exit_code, 0) << failed << r.err;
  auto has = [&](const std::string& from, const std::string& address, bool reachable, const std::string& why) {
    for (const auto& c : doc["checks"])
      if (c["from"] == from && c["address"] == address && c["expect"] == (reachable ? "reachable" : "unreachable") &&
          c["why"].get<std::string>().find(why) != std::string::npos && c["implied"] == true)
        return true;
    return false;
  };
  EXPECT_TRUE(has("a", "10.71.0.1", true, "attached to front")) << r.out;
  EXPECT_TRUE(has("a", "10.71.0.20", true, "both on front")) << r.out;
  EXPECT_TRUE(has("b", "10.72.0.30", false, "icc: false on back")) << r.out;
  EXPECT_TRUE(has("a", "10.73.0.40", false, "are isolated")) << r.out;
  EXPECT_TRUE(has("e", "10.71.0.1", false, "inner is internal")) << r.out;
  EXPECT_GT(doc["passed"].get<int>(), 10);
}

TEST_F(E2EVerify, ApplyImpliedWithoutVerifyIsRefusedAndChangesNothing) {
  dir_.write("m.yaml", kTopology);
  CmdResult r = apply({"--implied"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.all().find("--verify"), std::string::npos) << r.describe();
  EXPECT_TRUE(netns_list().empty()) << kernel_snapshot();
}

TEST_F(E2EVerify, ApplyVerifyExitsOneOnAFailedCheckAndKeepsWhatItApplied) {
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: a, to: b}
  - {from: b, to: c}
)");
  CmdResult r = apply({"--verify"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.out.find("FAIL  b -> c (10.72.0.30) (icmp): expected reachable"), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out), "1 passed, 1 failed");
  EXPECT_EQ(last_line(plan().out), "No changes.") << "apply --verify keeps the applied state";
  dir_.write("m.yaml", std::string(kTopology) + R"(checks:
  - {from: a, to: b}
  - {from: b, to: c, expect: unreachable}
)");
  CmdResult ok = apply({"--verify", "-o", "json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.describe();
  auto doc = nlohmann::json::parse(ok.out);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["verify"]["passed"], 2);
  EXPECT_EQ(doc["verify"]["failed"], 0);
}

}  // namespace
}  // namespace topo::e2e
