// The manifest writer: libyaml's emitter, with strings the loader would read
// as another type quoted so they stay strings.
#include "reconciler/importers/manifest_writer.hpp"
#include "tests/unit/import_test_util.hpp"

namespace topo::testing {
namespace {

using namespace importers;

TEST(ImportWriter, QuotesWhatWouldNotReadBackAsAString) {
  OutManifest m;
  m.stack = "s";
  OutContainer c;
  c.name = "1234";  // a name of digits only: an integer if plain
  c.hostname = "true";
  c.ports = {"80", "8080:80", "127.0.0.1::81"};
  c.dns_search = {"on", "null", "example.com"};
  c.sysctls = {{"net.core.somaxconn", {"1024", false}}, {"net.ipv4.conf.all.forwarding", {"1", true}}};
  m.containers.push_back(c);
  OutNetwork n;
  n.name = "n";
  m.networks.push_back(n);
  m.attachments.push_back({"1234", "n", "", "", "", "", {}});
  const std::string y = write_manifest(m, "");
  EXPECT_EQ(y, R"(version: 1
stack: s
networks:
- name: "n"
containers:
- name: "1234"
  hostname: "true"
  dns_search: ["on", "null", example.com]
  ports: ["80", "8080:80", "127.0.0.1::81"]
  sysctls:
    net.core.somaxconn: 1024
    net.ipv4.conf.all.forwarding: "1"
attachments:
- {container: "1234", network: "n"}
)");
  EXPECT_EQ(load_errors(y), "");
}

TEST(ImportWriter, HeaderBecomesCommentsAndSpecialCharactersAreQuotedByLibyaml) {
  OutManifest m;
  OutNetwork n;
  n.name = "n";
  n.subnets = {{"10.0.0.0/24", "", ""}};
  m.networks.push_back(n);
  OutAttachment a;
  a.container = "c";
  a.network = "n";
  a.aliases = {"#x", "a: b"};
  m.attachments.push_back(a);
  const std::string y = write_manifest(m, "line one\n\nline three");
  EXPECT_EQ(y.rfind("# line one\n#\n# line three\nversion: 1\n", 0), 0u) << y;
  EXPECT_NE(y.find("aliases: [\"#x\", \"a: b\"]"), std::string::npos) << y;
}

TEST(ImportWriter, PortStrings) {
  EXPECT_EQ(port_string("", std::nullopt, 80, "tcp"), "80");
  EXPECT_EQ(port_string("", 8080, 80, "tcp"), "8080:80");
  EXPECT_EQ(port_string("127.0.0.1", std::nullopt, 80, "udp"), "127.0.0.1::80/udp");
  EXPECT_EQ(port_string("::1", 8080, 80, "sctp"), "[::1]:8080:80/sctp");
}

}  // namespace
}  // namespace topo::testing
