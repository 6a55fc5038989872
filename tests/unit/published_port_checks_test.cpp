// Issue 15: a host port another stack publishes on an overlapping address
// is a conflict at plan time, as it is between containers of one manifest set.
#include "reconciler/pipeline/published_port_checks.hpp"

#include <gtest/gtest.h>

namespace topo {
namespace {

Resource publish(const std::string& host, const std::string& port, const std::string& proto,
                 const std::string& container, const std::string& stack) {
  Resource r;
  r.kind = Kind::Firewall;
  r.name = "publish " + host + ":" + port + "/" + proto;
  r.attrs = {{"intent", "publish"}, {"host", host}, {"host_port", port}, {"protocol", proto}, {"container", container}};
  r.origin = "container/" + container;
  r.stack = stack;
  return r;
}

TEST(PublishedPortChecks, AnotherStacksPortOnAnOverlappingAddressIsAConflict) {
  Observed o;
  o.held_resources = {publish("0.0.0.0", "8080", "tcp", "web", "shop")};
  auto lines = published_port_conflicts({publish("127.0.0.1", "8080", "tcp", "admin", "blog")}, o);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("publish 127.0.0.1:8080/tcp (for container/admin in stack blog) overlaps publish "
                          "0.0.0.0:8080/tcp of container web in stack shop"),
            std::string::npos)
      << lines[0];
}

TEST(PublishedPortChecks, OtherAddressesProtocolsAndPortsAreFree) {
  Observed o;
  o.held_resources = {publish("127.0.0.1", "8080", "tcp", "web", "shop")};
  EXPECT_TRUE(published_port_conflicts({publish("127.0.0.2", "8080", "tcp", "a", "blog"),
                                        publish("0.0.0.0", "8080", "udp", "a", "blog"),
                                        publish("0.0.0.0", "8081", "tcp", "a", "blog")},
                                       o)
                  .empty());
  // The same name is the diff's to report, once.
  EXPECT_TRUE(published_port_conflicts({publish("127.0.0.1", "8080", "tcp", "a", "blog")}, o).empty());
}

}  // namespace
}  // namespace topo
