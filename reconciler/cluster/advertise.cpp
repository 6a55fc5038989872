#include "reconciler/cluster/advertise.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "reconciler/fsutil/fd.hpp"

namespace topo::cluster {
namespace {

struct HostPort {
  std::string host, port;
};

// "http://[fd00::1]:2379/x" -> fd00::1, 2379; the scheme's port when none.
HostPort split_url(const std::string& url) {
  std::string rest = url;
  std::string port = "80";
  if (auto p = rest.find("://"); p != std::string::npos) {
    if (rest.compare(0, p, "https") == 0) port = "443";
    rest = rest.substr(p + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  std::string host = rest;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    host = rest.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos && close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  return {host, port};
}

}  // namespace

std::string source_address_towards(const std::string& url) {
  const HostPort hp = split_url(url);
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (int e = ::getaddrinfo(hp.host.c_str(), hp.port.c_str(), &hints, &found); e != 0)
    throw std::runtime_error("--advertise-address: cannot resolve " + hp.host + " of " + url + ": " + gai_strerror(e) +
                             "; give --advertise-address");
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) continue;
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      last_error = std::strerror(errno);
      continue;
    }
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len) != 0) continue;
    char text[INET6_ADDRSTRLEN] = {};
    const void* addr = local.ss_family == AF_INET
                           ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr)
                           : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr);
    if (::inet_ntop(local.ss_family, addr, text, sizeof text)) return text;
  }
  throw std::runtime_error("--advertise-address: no route from this host to " + url + " (" + last_error +
                           "); give --advertise-address");
}

}  // namespace topo::cluster
