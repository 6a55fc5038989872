#include "reconciler/state/state_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "reconciler/fsutil/safe_fs.hpp"
#include "reconciler/state/state_dir.hpp"

namespace topo {

namespace {

std::runtime_error sys_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

constexpr const char* kStateFile = "state.json";

std::optional<IpAddress> opt_ip(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return IpAddress::parse(j.at(key).get<std::string>());
}

}  // namespace

std::string allocations_to_json(const Allocations& allocations) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, a] : allocations) {
    nlohmann::json e = nlohmann::json::object();
    if (a.ipv4) e["ipv4"] = a.ipv4->str();
    if (a.ipv6) e["ipv6"] = a.ipv6->str();
    if (!a.mac.empty()) e["mac"] = a.mac;
    if (!a.host_veth.empty()) e["host_veth"] = a.host_veth;
    if (a.host_port > 0) e["host_port"] = a.host_port;
    j[key] = e;
  }
  return j.dump();
}

Allocations allocations_from_json(const std::string& text) {
  Allocations out;
  auto j = nlohmann::json::parse(text);
  for (const auto& [key, e] : j.items()) {
    Allocation a;
    a.ipv4 = opt_ip(e, "ipv4");
    a.ipv6 = opt_ip(e, "ipv6");
    if (e.contains("mac")) a.mac = e.at("mac").get<std::string>();
    if (e.contains("host_veth")) a.host_veth = e.at("host_veth").get<std::string>();
    if (e.contains("host_port")) a.host_port = e.at("host_port").get<int>();
    out[key] = a;
  }
  return out;
}

std::string pool_choices_to_json(const PoolChoices& choices) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [network, c] : choices) j[network] = {{"subnet", c.subnet.str()}, {"stack", c.stack}};
  return j.dump();
}

PoolChoices pool_choices_from_json(const std::string& text) {
  PoolChoices out;
  auto j = nlohmann::json::parse(text);
  for (const auto& [network, e] : j.items()) {
    const std::string subnet = e.at("subnet").get<std::string>();
    const auto p = IpPrefix::parse(subnet);
    if (!p) throw std::runtime_error("subnet \"" + subnet + "\" of network " + network + " is not a CIDR prefix");
    out[network] = PoolChoice{*p, e.value("stack", std::string(kDefaultStack))};
  }
  return out;
}

State StateStore::load() const {
  const std::string path = dir_ + "/" + kStateFile;
  Fd dir = open_state_dir(dir_, /*create=*/false);
  if (!dir) return {};
  std::optional<std::string> text = fsutil::read_file_at(dir.get(), kStateFile, path);
  if (!text) return {};
  try {
    auto j = nlohmann::json::parse(*text);
    State s;
    s.allocations = allocations_from_json(j.at("allocations").dump());
    // Older state files have none: the kernel tells them.
    if (j.contains("subnets")) s.subnets = pool_choices_from_json(j.at("subnets").dump());
    return s;
  } catch (const std::exception& e) {
    throw std::runtime_error("state file " + path + " is corrupt (" + e.what() +
                             "); move it away: addresses are recovered from the kernel");
  }
}

void StateStore::save(const State& state) const { stage(state).commit(); }

fsutil::StagedFile StateStore::stage(const State& state) const {
  Fd dir = open_state_dir(dir_, /*create=*/true);
  nlohmann::json j;
  j["version"] = 1;
  j["allocations"] = nlohmann::json::parse(allocations_to_json(state.allocations));
  j["subnets"] = nlohmann::json::parse(pool_choices_to_json(state.subnets));
  // Callers hold the state lock, so temporaries of the state file are a killed writer's.
  fsutil::remove_stale_temporaries(dir.get(), kStateFile, dir_ + "/" + kStateFile);
  return fsutil::StagedFile(dir.get(), kStateFile, j.dump(2) + "\n", 0600, dir_ + "/" + kStateFile);
}

StateLock::StateLock(const std::string& dir, int wait_seconds) {
  Fd d = open_state_dir(dir, /*create=*/true);
  const std::string path = dir + "/lock";
  // O_NOFOLLOW with O_CREAT: a symlink planted as the lock is refused, never
  // created through.
  fd_ = Fd(::openat(d.get(), "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd_) {
    if (errno == ELOOP) fsutil::refuse_symlink("open lock", path);
    throw sys_error("cannot open lock", path);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) throw sys_error("cannot lock", path);
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("another topo holds the lock " + path + " (waited " + std::to_string(wait_seconds) +
                               " s); try again when it has finished");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

StateLock::~StateLock() = default;

}  // namespace topo
