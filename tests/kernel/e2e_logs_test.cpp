// Logs as a host's tools read them (issue 19): JSON lines whose fields
// (action, object, namespace, stack, duration) stand apart, native journal
// entries when stderr is the journal, and text with a timestamp only where
// nothing else keeps the time.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kManifest =
    "version: 1\nstack: logs\nnetworks:\n  - {name: lg, subnet: 172.24.9.0/24}\ncontainers:\n  - name: l1\n"
    "attachments:\n  - {container: l1, network: lg}\n";

class E2ELogs : public E2ETest {};

TEST_F(E2ELogs, JsonLinesCarryTheActionObjectStackAndDuration) {
  dir_.write("m.yaml", kManifest);
  CmdResult r = apply({"--log-format", "json", "--log-level", "debug"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::istringstream lines(r.err);
  std::string line;
  int parsed = 0, done = 0, of_stack = 0;
  bool namespace_field = false;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
    ++parsed;
    ASSERT_TRUE(j.contains("time") && j.contains("level") && j.contains("msg")) << line;
    if (j.contains("duration_seconds")) {
      ++done;
      EXPECT_TRUE(j["duration_seconds"].is_number()) << line;
      // What every stack shares (the firewall table, forwarding) has none.
      if (j.contains("stack")) {
        EXPECT_EQ(j["stack"], "logs") << line;
        ++of_stack;
      }
      EXPECT_FALSE(j.value("action", "").empty()) << line;
      EXPECT_FALSE(j.value("object", "").empty()) << line;
    }
    if (j.value("namespace", "") == "l1") namespace_field = true;
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GE(done, 4) << "every action that ran logs its duration\n" << r.err;
  EXPECT_GE(of_stack, 3) << "the stack's own objects name it\n" << r.err;
  EXPECT_TRUE(namespace_field) << "an action inside the container names its namespace\n" << r.err;
}

TEST_F(E2ELogs, TextOffATerminalIsTimestamped) {
  dir_.write("m.yaml", kManifest);
  CmdResult r = apply({"--log-level", "debug"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  ASSERT_FALSE(r.err.empty());
  // 2026-12-07T07:13:07.405+00:00 debug: create namespace l1
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(r.err[0])) && r.err.substr(4, 1) == "-" &&
              r.err.find(" debug: create namespace l1") != std::string::npos)
      << r.err;
}

// A journal of our own: a datagram socket where libsystemd sends entries
// (/run is the sandbox's tmpfs), read by a small Python receiver.
TEST_F(E2ELogs, UnderJournaldEachFieldIsAJournalField) {
  dir_.write("m.yaml", kManifest);
  const std::string got = dir_.path() + "/journal.txt";
  const std::string err = dir_.path() + "/stderr.txt";
  CmdResult mk = sh("mkdir -p /run/systemd/journal && rm -f /run/systemd/journal/socket");
  ASSERT_EQ(mk.exit_code, 0) << mk.describe();
  const std::string receiver =
      "import socket,sys\n"
      "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
      "s.bind('/run/systemd/journal/socket')\n"
      "open(sys.argv[2],'w').close()\n"
      "s.settimeout(10)\n"
      "out=open(sys.argv[1],'wb')\n"
      "try:\n"
      "  while True:\n"
      "    d=s.recv(65536); out.write(d+b'\\x00'); out.flush(); s.settimeout(2)\n"
      "except socket.timeout: pass\n";
  dir_.write("receiver.py", receiver);
  const std::string ready = dir_.path() + "/ready";
  CmdResult started = sh("python3 " + dir_.path() + "/receiver.py " + got + " " + ready +
                         " >/dev/null 2>&1 & echo $!; for i in $(seq 50); do [ -e " + ready +
                         " ] && break; sleep 0.1; done");
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  // stderr is a file; JOURNAL_STREAM names it, as systemd names the journal's socket.
  const std::string script = ": > " + err + "; JOURNAL_STREAM=$(stat -c %d:%i " + err + ") " TOPO_BINARY
                             " --log-level debug apply --auto-approve " + dir_.path() + "/m.yaml 2>>" + err +
                             " >/dev/null; rc=$?; wait; exit $rc";
  CmdResult r = sh(script);
  sh("rm -rf /run/systemd/journal");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::ifstream in(got);
  std::stringstream text;
  text << in.rdbuf();
  const std::string journal = text.str();
  EXPECT_NE(journal.find("SYSLOG_IDENTIFIER=topo\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find("TOPO_ACTION=create\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find("TOPO_OBJECT=namespace /l1\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find("TOPO_STACK=logs\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find("TOPO_NAMESPACE=l1\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find("TOPO_DURATION_SECONDS="), std::string::npos) << journal;
  EXPECT_NE(journal.find("PRIORITY=7\n"), std::string::npos) << "debug is priority 7\n" << journal;
  std::ifstream e(err);
  std::stringstream etext;
  etext << e.rdbuf();
  EXPECT_EQ(etext.str(), "") << "the logs went to the journal, not to stderr";
}

}  // namespace
}  // namespace topo::e2e
