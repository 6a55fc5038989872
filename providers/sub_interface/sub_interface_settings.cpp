#include "providers/sub_interface/sub_interface_settings.hpp"

#include <set>

namespace topo {

std::shared_ptr<const DriverSettings> read_sub_interface_settings(Driver driver, const KeyReader& keys) {
  auto s = std::make_shared<SubInterfaceSettings>();
  s->ipvlan = driver == Driver::Ipvlan;
  s->parent = keys.str("parent");
  s->mode = keys.str("mode");
  if (s->mode.empty()) s->mode = s->ipvlan ? "l2" : "bridge";
  return s;
}

void check_sub_interface_settings(const Network& net, const KeyReport& report) {
  const auto* s = net.settings_as<SubInterfaceSettings>();
  if (!s) return;
  const std::string driver = to_string(net.driver);
  if (s->parent.empty()) report.error("driver " + driver + " needs \"parent\", the host interface to hang off");
  static const std::set<std::string> macvlan{"bridge", "private", "vepa", "passthru"};
  static const std::set<std::string> ipvlan{"l2", "l3", "l3s"};
  // By the network's driver: the loader also runs these checks for a parent
  // or mode written on a network of another driver (network_checks.cpp).
  if (net.driver == Driver::Macvlan && !macvlan.count(s->mode))
    report.error("mode", "mode \"" + s->mode + "\" is not a macvlan mode (bridge, private, vepa, passthru)");
  if (net.driver == Driver::Ipvlan && !ipvlan.count(s->mode))
    report.error("mode", "mode \"" + s->mode + "\" is not an ipvlan mode (l2, l3, l3s)");
  // "lo" is the loopback of every namespace, the host's included.
  if (report.has("parent") && s->parent == "lo")
    report.error("parent", "parent \"lo\" is the host's loopback interface; " + driver + " needs a real host interface");
}

}  // namespace topo
