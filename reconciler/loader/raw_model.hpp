#pragma once
// The manifests as read, before defaults: the model objects plus what the
// semantic checks need to know about how they were written (which keys were
// given, where each value sits).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/model/desired.hpp"

namespace topo {
class Provider;
}

namespace topo::loader {

// Where an object and each of its values were written. Keys are the manifest
// key, with ".N" for list items ("links.1", "subnets.0.gateway").
struct Where {
  SourceLocation object;
  std::map<std::string, SourceLocation> values;

  bool has(const std::string& key) const { return values.count(key) != 0; }
  const SourceLocation& at(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? object : it->second;
  }
};

struct RawNetwork {
  Network net;  // subnets filled as written; gateway empty when not given
  Where where;
  // Keys of other drivers written on it, read by the first driver that
  // takes each (registry order): refused, and still checked by that driver,
  // so every mistake in their values is told at once.
  struct Foreign {
    std::string key;
    const Provider* driver;
    std::shared_ptr<const DriverSettings> settings;
  };
  std::vector<Foreign> foreign;
  bool driver_given = false;
  bool shorthand = false;  // subnet/gateway/ip_range at the top
};

struct RawContainer {
  Container c;  // extra_hosts and links empty: build_desired parses the written ones
  Where where;
  std::vector<std::string> extra_hosts_written;  // "NAME:IP"
  std::vector<std::string> links_written;        // "NAME[:ALIAS]"
  std::string network_mode_text;  // as written, for messages
};

struct RawAttachment {
  Attachment a;
  Where where;
  bool interface_given = false;
  bool default_route_given = false;
};

struct RawCheck {
  Check c;  // to_address, protocol filled by the checks (check_entries.cpp) from what is written
  Where where;
  std::string protocol_text;  // "" when not written
  std::string expect_text;
};

struct RawHost {
  Host h;
  Where where;
};

struct RawModel {
  // File order (order of files, then of documents, then of objects).
  std::vector<RawHost> hosts;
  std::vector<RawNetwork> networks;
  std::vector<RawContainer> containers;
  std::vector<RawAttachment> attachments;
  std::vector<RawCheck> checks;
  std::set<std::string> stacks;  // named by any document, even one that declares nothing
  // Loaded for cluster mode (LoadOptions::cluster): nodes come from etcd.
  bool cluster = false;
};

}  // namespace topo::loader
