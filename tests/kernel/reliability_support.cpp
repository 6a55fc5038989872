#include "tests/kernel/reliability_support.hpp"

#include <sstream>

namespace topo::e2e {

namespace {

nlohmann::json without_handles(nlohmann::json j) {
  if (j.is_object()) {
    j.erase("handle");
    for (auto& [k, v] : j.items()) v = without_handles(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = without_handles(v);
  }
  return j;
}

}  // namespace

std::string big_manifest(int networks, int containers, int base) {
  std::ostringstream y;
  y << "version: 1\nnetworks:\n";
  for (int n = 0; n < networks; ++n)
    y << "  - {name: rn" << n << ", subnet: 10." << base + n << ".0.0/24}\n";
  y << "containers:\n";
  for (int c = 0; c < containers; ++c) {
    y << "  - name: rc" << c << "\n";
    if (c % 3 == 0) {
      y << "    sysctls: {net.ipv4.ip_forward: \"1\"}\n";
      y << "    ports: [\"" << 20000 + c << ":80\"]\n";
    }
  }
  y << "attachments:\n";
  for (int c = 0; c < containers; ++c) {
    y << "  - {container: rc" << c << ", network: rn" << c % networks << ", interface: eth0}\n";
    if (c % 3 == 0 && networks > 1)
      y << "  - {container: rc" << c << ", network: rn" << (c + 1) % networks << ", interface: eth1}\n";
  }
  return y.str();
}

CmdResult topo_env(const std::vector<std::string>& env, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(TOPO_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

std::vector<std::string> topo_leftovers() {
  std::vector<std::string> left;
  for (const auto& a : topo_aliases()) left.push_back("host link alias " + a);
  for (const auto& ns : netns_list()) left.push_back("namespace " + ns);
  // Table lines look like "table inet topo".
  CmdResult t = sh("nft list tables");
  std::istringstream in(t.out);
  for (std::string line; std::getline(in, line);)
    if (line.size() >= 5 && line.compare(line.size() - 5, 5, " topo") == 0) left.push_back(line);
  if (t.exit_code != 0) left.push_back("nft list tables failed: " + t.all());
  return left;
}

std::string managed_dump(const std::string& manifest_dir) {
  (void)manifest_dir;
  std::string dump = kernel_snapshot();
  // Handles are numbered afresh when topo rewrites its table (one
  // transaction per apply, and after a rollback); they are not state.
  for (const char* family : {"inet", "bridge"}) {
    CmdResult nft = sh(std::string("nft -j list table ") + family + " topo 2>/dev/null");
    dump += std::string("\n--- nft ") + family + "\n";
    if (nft.exit_code == 0) dump += without_handles(nlohmann::json::parse(nft.out)).dump(1);
  }
  CmdResult show = topo({"show", "-o", "json"});
  dump += "\n--- topo show\n" + show.out + (show.exit_code == 0 ? "" : "show failed: " + show.err);
  return dump;
}

}  // namespace topo::e2e
