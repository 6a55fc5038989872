#pragma once
// The keys of macvlan and ipvlan networks: the host interface their links
// hang off, and the mode, each with its driver's set of modes and default.
#include <memory>
#include <string>

#include "providers/driver_keys.hpp"
#include "reconciler/model/desired.hpp"

namespace topo {

struct SubInterfaceSettings : DriverSettings {
  bool ipvlan = false;  // else macvlan
  std::string parent;
  std::string mode;  // filled with the driver's default

  // Every ipvlan link carries its parent's MAC; a macvlan has its own, on
  // the parent's LAN, shared with every macvlan network on that parent.
  bool own_macs() const override { return !ipvlan; }
  std::string mac_parent() const override { return ipvlan ? "" : parent; }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"parent", parent}, {"mode", mode}};
  }
};

std::shared_ptr<const DriverSettings> read_sub_interface_settings(Driver driver, const KeyReader& keys);
void check_sub_interface_settings(const Network& net, const KeyReport& report);

}  // namespace topo
