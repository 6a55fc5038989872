// Loader: the Desired model comes out with every default filled and sorted.
#include "providers/bridge/bridge_settings.hpp"
#include "providers/overlay/overlay_settings.hpp"
#include "providers/sub_interface/sub_interface_settings.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

// The typed entries as a manifest writes them.
std::vector<std::string> written(const std::vector<ExtraHost>& hosts) {
  std::vector<std::string> out;
  for (const ExtraHost& h : hosts) out.push_back(h.name + ":" + h.ip.str());
  return out;
}
std::vector<std::string> written(const std::vector<ContainerLink>& links) {
  std::vector<std::string> out;
  for (const ContainerLink& l : links) out.push_back(l.alias == l.target ? l.target : l.target + ":" + l.alias);
  return out;
}

TEST_F(LoaderTest, NetworkDefaults) {
  const LoadResult r = load_text(R"(networks:
  - name: zeta-network-long
    subnet: 10.0.0.0/24
  - name: alpha
    internal: true
    subnets:
      - {subnet: 10.0.1.0/24, gateway: 10.0.1.254, ip_range: 10.0.1.128/25}
      - {subnet: "fd00:1::/64"}
  - {name: mv, driver: macvlan, parent: eth0, subnet: 192.168.5.0/24}
  - {name: iv, driver: ipvlan, parent: eth0, subnet: 192.168.6.0/24}
  - {name: ov, driver: overlay, vni: 7, subnet: 10.9.0.0/24}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Desired& d = r.desired;
  ASSERT_EQ(d.networks.size(), 5u);
  EXPECT_EQ(d.networks[0].name, "alpha");  // sorted by name
  EXPECT_EQ(d.networks[4].name, "zeta-network-long");

  const Network* z = d.network("zeta-network-long");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->driver, Driver::Bridge);
  EXPECT_EQ(z->mtu, 1500);
  const BridgeSettings* zb = z->settings_as<BridgeSettings>();
  ASSERT_NE(zb, nullptr);
  EXPECT_EQ(zb->bridge, "br-zeta-network");
  EXPECT_EQ(zb->bridge.size(), 15u);
  EXPECT_TRUE(zb->masquerade);
  EXPECT_TRUE(zb->icc);
  EXPECT_TRUE(zb->isolated());
  ASSERT_EQ(z->subnets.size(), 1u);
  EXPECT_EQ(z->subnets[0].gateway->str(), "10.0.0.1");
  EXPECT_FALSE(z->subnets[0].ip_range.has_value());
  EXPECT_EQ(z->where.line, 2);
  EXPECT_EQ(z->where.column, 5);

  const Network* a = d.network("alpha");
  EXPECT_FALSE(a->driver_settings().masquerades());  // internal
  ASSERT_EQ(a->subnets.size(), 2u);
  EXPECT_EQ(a->subnets[0].gateway->str(), "10.0.1.254");
  EXPECT_EQ(a->subnets[0].ip_range->str(), "10.0.1.128/25");
  EXPECT_EQ(a->subnets[1].gateway->str(), "fd00:1::1");
  EXPECT_EQ(a->subnets[1].where.line, 8);

  const Network* mv = d.network("mv");
  ASSERT_NE(mv->settings_as<SubInterfaceSettings>(), nullptr);
  EXPECT_EQ(mv->settings_as<SubInterfaceSettings>()->mode, "bridge");
  EXPECT_EQ(mv->driver_settings().host_bridge(), "");
  EXPECT_FALSE(mv->driver_settings().masquerades());
  EXPECT_EQ(mv->subnets[0].gateway->str(), "192.168.5.1");
  EXPECT_EQ(d.network("iv")->settings_as<SubInterfaceSettings>()->mode, "l2");

  const Network* ov = d.network("ov");
  EXPECT_EQ(ov->mtu, 1450);
  const OverlaySettings* os = ov->settings_as<OverlaySettings>();
  ASSERT_NE(os, nullptr);
  EXPECT_EQ(os->port, 4789);
  EXPECT_EQ(os->vni, 7u);
  EXPECT_EQ(os->bridge, "br-ov");
  EXPECT_EQ(to_string(ov->driver), "overlay");
  EXPECT_EQ(d.network("nope"), nullptr);
}

TEST_F(LoaderTest, ContainerAndAttachmentDefaults) {
  const LoadResult r = load_text(R"(networks:
  - {name: pub, subnet: 10.0.0.0/24}
  - {name: back, subnet: 10.0.1.0/24}
  - {name: priv, subnet: 10.0.2.0/24, internal: true}
containers:
  - name: web
  - name: db
    hostname: database
  - name: multi
  - name: marked
  - name: onlyinternal
  - name: side
    network_mode: container:web
attachments:
  - {container: web, network: pub}
  - {container: db, network: back, default_route: false}
  - {container: multi, network: priv, interface: a0}
  - {container: multi, network: pub, interface: z9}
  - {container: multi, network: back, interface: m5}
  - {container: marked, network: pub, interface: eth0}
  - {container: marked, network: back, interface: eth1, default_route: true}
  - {container: onlyinternal, network: priv}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Desired& d = r.desired;
  EXPECT_EQ(d.container("web")->hostname, "web");
  EXPECT_EQ(d.container("db")->hostname, "database");
  EXPECT_EQ(d.container("side")->network_mode, NetworkMode::Container);
  EXPECT_EQ(d.container("side")->mode_target, "web");
  EXPECT_EQ(d.containers.front().name, "db");

  auto att = [&](const std::string& c, const std::string& n) -> const Attachment& {
    for (const Attachment& a : d.attachments)
      if (a.container == c && a.network == n) return a;
    ADD_FAILURE() << "no attachment " << c << " -> " << n;
    static Attachment none;
    return none;
  };
  EXPECT_EQ(att("web", "pub").interface, "eth0");
  EXPECT_TRUE(att("web", "pub").default_route);
  EXPECT_FALSE(att("db", "back").default_route);  // declined explicitly
  // Several, none marked: lowest interface name that is not internal.
  EXPECT_FALSE(att("multi", "priv").default_route);
  EXPECT_TRUE(att("multi", "back").default_route);
  EXPECT_FALSE(att("multi", "pub").default_route);
  EXPECT_FALSE(att("marked", "pub").default_route);
  EXPECT_TRUE(att("marked", "back").default_route);
  EXPECT_FALSE(att("onlyinternal", "priv").default_route);
  EXPECT_EQ(att("web", "pub").where.line, 15);

  // Sorted by (container, interface).
  for (std::size_t i = 1; i < d.attachments.size(); ++i) {
    const Attachment& p = d.attachments[i - 1];
    const Attachment& q = d.attachments[i];
    EXPECT_TRUE(std::tie(p.container, p.interface) < std::tie(q.container, q.interface))
        << p.container << "/" << p.interface << " before " << q.container << "/" << q.interface;
  }
}

TEST_F(LoaderTest, StaticAddressesAndHostsReachTheModel) {
  const LoadResult r = load_text(R"(hosts:
  - {name: h2, address: 192.0.2.2}
  - {name: h1, address: 192.0.2.1}
networks:
  - {name: n, subnet: 10.0.0.0/24}
containers:
  - {name: c, node: h1, dns: [1.1.1.1], dns_search: [example.org], extra_hosts: ["db:fd00::5"], links: ["d:alias"]}
  - {name: d, node: h2, sysctls: {net.ipv4.conf.all.forwarding: "1"}, routes: [{dst: 10.8.0.0/16, via: 10.0.0.1}]}
attachments:
  - {container: c, network: n, ipv4: 10.0.0.9, mac: "02:00:00:00:00:09", aliases: [web]}
  - {container: d, network: n}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  const Desired& d = r.desired;
  ASSERT_EQ(d.hosts.size(), 2u);
  EXPECT_EQ(d.hosts[0].name, "h1");
  EXPECT_EQ(d.hosts[0].address.str(), "192.0.2.1");
  const Container* c = d.container("c");
  EXPECT_EQ(c->node, "h1");
  EXPECT_EQ(c->dns, std::vector<std::string>{"1.1.1.1"});
  EXPECT_EQ(written(c->extra_hosts), std::vector<std::string>{"db:fd00::5"});
  EXPECT_EQ(written(c->links), std::vector<std::string>{"d:alias"});
  const Container* dd = d.container("d");
  EXPECT_EQ(dd->sysctls.at("net.ipv4.conf.all.forwarding"), "1");
  ASSERT_EQ(dd->routes.size(), 1u);
  EXPECT_EQ(dd->routes[0].dst.str(), "10.8.0.0/16");
  EXPECT_EQ(dd->routes[0].via.str(), "10.0.0.1");
  const Attachment& a = d.attachments[0];
  EXPECT_EQ(a.container, "c");
  EXPECT_EQ(a.ipv4->str(), "10.0.0.9");
  EXPECT_EQ(a.mac, "02:00:00:00:00:09");
  EXPECT_EQ(a.aliases, std::vector<std::string>{"web"});
}

}  // namespace
}  // namespace topo::testing
