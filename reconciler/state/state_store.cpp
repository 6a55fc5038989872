#include "reconciler/state/state_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace topo {

namespace {

std::runtime_error sys_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void ensure_dir(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw sys_error("cannot create state dir", dir);
}

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
    out[key] = a;
  }
  return out;
}

State StateStore::load() const {
  std::string path = dir_ + "/state.json";
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    auto j = nlohmann::json::parse(ss.str());
    State s;
    s.allocations = allocations_from_json(j.at("allocations").dump());
    return s;
  } catch (const std::exception& e) {
    throw std::runtime_error("state file " + path + " is corrupt (" + e.what() +
                             "); move it away: addresses are recovered from the kernel");
  }
}

void StateStore::save(const State& state) const {
  ensure_dir(dir_);
  nlohmann::json j;
  j["version"] = 1;
  j["allocations"] = nlohmann::json::parse(allocations_to_json(state.allocations));
  std::string body = j.dump(2) + "\n";
  std::string path = dir_ + "/state.json";
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw sys_error("cannot write", tmp);
  const char* p = body.data();
  size_t left = body.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      throw sys_error("cannot write", tmp);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    throw sys_error("cannot fsync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw sys_error("cannot rename into", path);
  // The rename is durable only once the directory entry is.
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

StateLock::StateLock(const std::string& dir, int wait_seconds) {
  ensure_dir(dir);
  std::string path = dir + "/lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) throw sys_error("cannot open lock", path);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      ::close(fd_);
      throw sys_error("cannot lock", path);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      throw std::runtime_error("another topo holds the lock " + path + " (waited " + std::to_string(wait_seconds) +
                               " s); try again when it has finished");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace topo
