// What `topo import` prints always loads (issue 19): a source whose manifest
// would break a rule only the loader knows (an address taken twice) is
// refused with nothing on stdout; inputs built to crash or to inject YAML
// are refused or made harmless. Files only: no kernel.
#include <fstream>

#include "tests/kernel/e2e_support.hpp"

namespace topo::e2e {
namespace {

// Not an E2ETest: nothing here is applied, so there is nothing to destroy.
class E2EImportRefusals : public ::testing::Test {
 protected:
  ManifestDir dir_;
};

TEST_F(E2EImportRefusals, AManifestThatWouldNotLoadIsNeverPrinted) {
  const std::string file = dir_.write("dup.yml",
                                      "name: p\nservices:\n  a:\n    networks:\n      n1: {ipv4_address: 10.5.0.9}\n"
                                      "  b:\n    networks:\n      n1: {ipv4_address: 10.5.0.9}\n"
                                      "networks:\n  n1:\n    ipam:\n      config:\n        - subnet: 10.5.0.0/24\n");
  CmdResult r = topo({"import", "compose", file});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.out, "") << "nothing on stdout";
  EXPECT_NE(r.err.find("10.5.0.9 is already taken"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was written."), std::string::npos) << r.err;

  CmdResult out = topo({"import", "compose", file, "--out", dir_.path()});
  EXPECT_EQ(out.exit_code, 1) << out.describe();
  EXPECT_FALSE(std::ifstream(dir_.path() + "/p.yaml").good()) << "--out wrote it anyway";
}

TEST_F(E2EImportRefusals, ADirectoryIsNamedAsOneAndAPipeIsRead) {
  CmdResult dir = topo({"import", "compose", dir_.path()});
  EXPECT_EQ(dir.exit_code, 1) << dir.describe();
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
  // As the README's `topo import docker <(docker network inspect ...)`.
  CmdResult pipe = sh("cat " TOPO_TEST_DATA "/golden/import/docker/walkthrough/1-networks.json | " TOPO_BINARY
                      " import docker /dev/stdin");
  EXPECT_EQ(pipe.exit_code, 0) << pipe.describe();
  EXPECT_NE(pipe.out.find("- name: alpine-net"), std::string::npos) << pipe.describe();
}

TEST_F(E2EImportRefusals, DeepJsonIsAnErrorNotACrash) {
  const std::string file = dir_.write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  CmdResult r = topo({"import", "docker", file});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("nested deeper than 64 levels"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(E2EImportRefusals, AFileNameCannotWriteYamlIntoTheManifest) {
  // U+2028 (a line separator to YAML) and a carriage return in the name, as
  // the header comment repeats it.
  const std::string name = "x\xE2\x80\xA8" "foo: 1\r.yml";
  const std::string file = dir_.write(name, "name: p\nservices:\n  a: {}\n");
  CmdResult r = topo({"import", "compose", file});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out.find("\nfoo:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\xe2\\x80\\xa8"), std::string::npos) << "escaped in the comment\n" << r.out;
  const std::string saved = dir_.write("imported.yaml", r.out);
  CmdResult v = topo({"validate", saved});
  EXPECT_EQ(v.exit_code, 0) << v.describe();
}

}  // namespace
}  // namespace topo::e2e
