// topo import compose (issue 19, done-when point 1): a compose file with two
// networks, three services, aliases, links and published ports, imported,
// given checks, then validated, applied and verified for real: services
// reach each other by name, by alias and by link, by ping and by TCP.
#include <filesystem>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

const char* kCompose = R"(name: e2eimport
services:
  web:
    image: example/web
    ports:
      - "18080:8080"
    links:
      - "api:backend"
    networks:
      front:
        aliases: [www]
  api:
    image: example/api
    depends_on: [db]
    networks:
      front: {}
      back:
        ipv4_address: 10.61.0.10
        aliases: [service-api]
  db:
    image: postgres:16
    volumes: ["data:/var/lib/postgresql/data"]
    networks:
      back:
        aliases: [database]
networks:
  front:
    ipam:
      config:
        - subnet: 10.60.0.0/24
  back:
    internal: true
    ipam:
      config:
        - subnet: 10.61.0.0/24
volumes:
  data: {}
)";

const char* kChecks = R"(checks:
  - {from: api, resolve: web}
  - {from: api, resolve: www}
  - {from: web, resolve: api}
  - {from: web, resolve: backend}
  - {from: db, resolve: service-api}
  - {from: api, resolve: database}
  - {from: web, to: api}
  - {from: api, to: db}
  - {from: db, to: api}
  - {from: api, to: web, port: 8080}
  - {from: db, resolve: web, expect: unreachable}
)";

class E2EImport : public E2ETest {
 protected:
  void TearDown() override {
    sh("pkill -f 'topo-import-test-server' 2>/dev/null");
    E2ETest::TearDown();
  }
};

TEST_F(E2EImport, ComposeFileImportedThenValidatedAppliedAndVerified) {
  ManifestDir compose_dir;
  const std::string compose = compose_dir.write("compose.yaml", kCompose);

  CmdResult imported = topo({"import", "compose", compose, "--out", dir_.path()});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  EXPECT_EQ(imported.out, "") << "with --out nothing goes to stdout";
  EXPECT_NE(imported.err.find("services.db.volumes: not carried over"), std::string::npos) << imported.err;
  EXPECT_NE(imported.err.find("compose.yaml:22:5: services.db.volumes"), std::string::npos) << imported.err;
  const std::string manifest_file = dir_.path() + "/e2eimport.yaml";
  ASSERT_TRUE(std::filesystem::exists(manifest_file)) << imported.describe();

  // A second import to the same place refuses to overwrite.
  CmdResult again = topo({"import", "compose", compose, "--out", dir_.path()});
  EXPECT_EQ(again.exit_code, 1) << again.describe();
  EXPECT_NE(again.err.find("exists already"), std::string::npos) << again.describe();

  // Printed to stdout, the same manifest.
  CmdResult printed = topo({"import", "compose", compose});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();

  const std::string manifest = sh("cat " + manifest_file).out;
  EXPECT_EQ(printed.out, manifest);
  dir_.write("e2eimport.yaml", manifest + kChecks);

  CmdResult validated = topo({"validate", dir_.path()});
  ASSERT_EQ(validated.exit_code, 0) << validated.describe() << "\n" << manifest;
  CmdResult applied = apply();
  ASSERT_EQ(applied.exit_code, 0) << applied.describe();

  const std::string server =
      "import socket\n# topo-import-test-server\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
      "socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',8080));s.listen(8)\nwhile True:\n c,_=s.accept();c.close()\n";
  compose_dir.write("server.py.txt", server);
  CmdResult started =
      sh("cd " + compose_dir.path() +
         " && (ip netns exec web timeout 60 python3 server.py.txt topo-import-test-server >/dev/null 2>&1 &) && "
         "for i in $(seq 50); do ip netns exec web ss -ltn | grep -q :8080 && exit 0; sleep 0.1; done; exit 1");
  ASSERT_EQ(started.exit_code, 0) << started.describe();

  CmdResult verified = topo({"verify", dir_.path()});
  EXPECT_EQ(verified.exit_code, 0) << verified.describe();
  EXPECT_EQ(last_line(verified.out), "11 passed, 0 failed") << verified.describe();

  // The published port answers on the host too.
  EXPECT_TRUE(ping("api", "10.61.0.10")) << "api's own static address";
  CmdResult published = sh("python3 -c \"import socket;socket.create_connection(('127.0.0.1',18080),2)\"");
  EXPECT_EQ(published.exit_code, 0) << published.describe();

  CmdResult destroyed = destroy();
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.describe();
  EXPECT_TRUE(netns_list().empty()) << "namespaces left after destroy";
}

}  // namespace
}  // namespace topo::e2e
