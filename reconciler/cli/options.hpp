#pragma once
// What the command line says, shared by every command.
#include <string>
#include <vector>

namespace topo::cli {

struct Options {
  std::vector<std::string> paths;
  std::string state_dir = "/var/lib/topo";
  std::string netns_dir = "/run/netns";
  std::string etc_netns_dir = "/etc/netns";
  std::string node;
  std::string output = "text";  // text | json
  bool detailed_exitcode = false;
  std::string out_file;         // plan --out
  std::string log_level = "info";
  std::string log_format = "text";
  int lock_wait_seconds = 60;
  // --stack: the stack of documents that name none; for destroy without
  // paths and for show, the stack acted on or shown. "" = not given.
  std::string stack;
  bool auto_approve = false;  // apply/destroy: do not ask on a terminal
  // --address-pools (or TOPO_ADDRESS_POOLS), as written: "base=CIDR,size=N"
  // items, each maybe several joined by ';'. Empty: Docker's defaults.
  std::vector<std::string> address_pools;
  // Cluster mode (manifest.md "Cluster mode (etcd)"): on when etcd is given.
  std::string etcd;               // --etcd URL[,URL...] (TOPO_ETCD)
  std::string etcd_prefix = "/topo";
  std::string etcd_cacert, etcd_cert, etcd_key;  // as etcdctl spells them
  std::string advertise_address;  // "" = the source address of the route to etcd
  int node_ttl_seconds = 30;      // the node key's lease: how soon the others drop a dead node
  bool cluster() const { return !etcd.empty(); }
  bool no_color = false;  // --no-color
  bool implied = false;   // verify --implied: the checks the topology itself promises too
  bool verify = false;    // apply --verify
  std::string metrics_file;  // apply --metrics-file
};

// Exit codes of the contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;

}  // namespace topo::cli
