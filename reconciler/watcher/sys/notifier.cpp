#include "reconciler/watcher/sys/notifier.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstring>

namespace topo::watcher {

namespace {
void notify(const std::string& state) {
  int rc = sd_notify(0, state.c_str());
  if (rc < 0) spdlog::debug("sd_notify({}): {}", state, std::strerror(-rc));
}
}  // namespace

void Notifier::send(const Notice& n) { notify((n.ready ? "READY=1\nSTATUS=" : "STATUS=") + n.status); }
void Notifier::status(const std::string& status) { notify("STATUS=" + status); }
void Notifier::stopping() { notify("STOPPING=1\nSTATUS=stopping"); }

}  // namespace topo::watcher
