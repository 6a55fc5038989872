#include "reconciler/executor/fault_injection.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace topo {

namespace {

long positive_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return 0;
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || n <= 0) {
    std::fprintf(stderr, "topo: ignoring %s=%s (not a positive integer)\n", name, v);
    return 0;
  }
  return n;
}

class FaultInjectingKernel : public Kernel {
 public:
  FaultInjectingKernel(Kernel& inner, const FaultConfig& config) : inner_(inner), config_(config) {}
  FaultInjectingKernel(std::unique_ptr<Kernel> inner, const FaultConfig& config)
      : inner_(*inner), owned_(std::move(inner)), config_(config) {}

  Observed observe() override { return inner_.observe(); }
  std::vector<Resource> observe_settings(const std::vector<Resource>& desired) override {
    return inner_.observe_settings(desired);
  }
  std::vector<std::string> preflight(const std::vector<Resource>& desired) override {
    return inner_.preflight(desired);
  }
  std::vector<std::string> host_warnings(const std::vector<Resource>& desired) override {
    return inner_.host_warnings(desired);
  }
  std::vector<UdpSocket> udp_sockets() override { return inner_.udp_sockets(); }
  std::vector<UdpSocket> tcp_listeners() override { return inner_.tcp_listeners(); }
  std::optional<std::pair<int, int>> ephemeral_port_range() override { return inner_.ephemeral_port_range(); }
  std::string host_resolv_conf() override { return inner_.host_resolv_conf(); }
  void create(const Resource& desired) override {
    before("create", desired.key());
    inner_.create(desired);
    after();
  }
  void update(const Resource& current, const Resource& desired) override {
    before("update", desired.key());
    inner_.update(current, desired);
    after();
  }
  void remove(const Resource& current) override {
    before("remove", current.key());
    inner_.remove(current);
    after();
  }
  void commit() override {
    before("commit", "");
    inner_.commit();
    after();
  }

 private:
  void before(const char* op, const std::string& object) {
    ++started_;
    if (config_.delay_ms > 0) ::usleep(static_cast<useconds_t>(config_.delay_ms) * 1000);
    if (config_.fail_op > 0 && started_ == config_.fail_op)
      throw KernelError(op, object, EIO, "injected failure (TOPO_FAULT_FAIL_OP=" + std::to_string(started_) + ")");
  }
  void after() {
    ++done_;
    // _exit, not exit: no destructors, no flushing, no unlock by us; the
    // state a SIGKILL would leave (the kernel drops the flock).
    if (config_.exit_after_ops > 0 && done_ >= config_.exit_after_ops) _exit(137);
  }

  Kernel& inner_;
  std::unique_ptr<Kernel> owned_;
  FaultConfig config_;
  long started_ = 0;
  long done_ = 0;
};

}  // namespace

const FaultConfig& fault_config_from_env() {
  static const FaultConfig config = [] {
    FaultConfig c;
    c.exit_after_ops = positive_env("TOPO_FAULT_AFTER_OPS");
    c.fail_op = positive_env("TOPO_FAULT_FAIL_OP");
    c.delay_ms = positive_env("TOPO_FAULT_DELAY_MS");
    return c;
  }();
  return config;
}

std::unique_ptr<Kernel> make_fault_injecting_kernel(Kernel& inner, const FaultConfig& config) {
  return std::make_unique<FaultInjectingKernel>(inner, config);
}

std::unique_ptr<Kernel> make_fault_injecting_kernel(std::unique_ptr<Kernel> inner, const FaultConfig& config) {
  return std::make_unique<FaultInjectingKernel>(std::move(inner), config);
}

std::unique_ptr<Kernel> with_faults(std::unique_ptr<Kernel> kernel, const FaultConfig& config) {
  return config.active() ? make_fault_injecting_kernel(std::move(kernel), config) : std::move(kernel);
}

}  // namespace topo
