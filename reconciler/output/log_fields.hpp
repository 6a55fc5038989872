#pragma once
// Structured fields that travel with a log message: the action, the object it
// is about, the namespace, the stack and how long it took. Text logs show the
// message alone; JSON logs and the journal (cli/logging.cpp) carry each field
// on its own, so `jq` and `journalctl -o json` can select on them.
//
// The fields are handed to the sinks through a thread-local pointer set for
// the duration of one synchronous spdlog call: spdlog's formatters see only
// the message, and its structured logging came after the version Debian 12
// ships (1.10).
#include <spdlog/spdlog.h>

#include <optional>
#include <string>

#include "reconciler/planner/plan.hpp"

namespace topo {

struct LogFields {
  std::string action;   // create, update, delete, replace
  std::string object;   // Resource::key(): "link c1/eth0"
  std::string ns;       // "" = the host's namespace
  std::string stack;    // "" = shared by every stack
  std::string origin;   // the manifest object: "attachment/web/eth0"
  std::optional<double> seconds;  // how long it took
};

// Logs `message` with `fields` at `level` through the default logger.
void log_with(spdlog::level::level_enum level, const std::string& message, const LogFields& fields);

// The fields of the message being logged on this thread, else nullptr.
const LogFields* current_log_fields();

// An action about to run, and one that ran (with its duration).
LogFields fields_of(const Action& action);
void log_action_started(spdlog::level::level_enum level, const Action& action);
void log_action_done(spdlog::level::level_enum level, const Action& action, double seconds);

}  // namespace topo
