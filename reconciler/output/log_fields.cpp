#include "reconciler/output/log_fields.hpp"

#include <fmt/format.h>

#include "reconciler/output/plan_format.hpp"

namespace topo {
namespace {

thread_local const LogFields* current = nullptr;

// Restores the previous pointer even when a sink throws.
class FieldsInScope {
 public:
  explicit FieldsInScope(const LogFields& fields) : saved_(current) { current = &fields; }
  ~FieldsInScope() { current = saved_; }
  FieldsInScope(const FieldsInScope&) = delete;
  FieldsInScope& operator=(const FieldsInScope&) = delete;

 private:
  const LogFields* saved_;
};

}  // namespace

void log_with(spdlog::level::level_enum level, const std::string& message, const LogFields& fields) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  FieldsInScope scope(fields);
  logger->log(level, message);
}

const LogFields* current_log_fields() { return current; }

LogFields fields_of(const Action& action) {
  const Resource& r = action.subject();
  LogFields f;
  f.action = to_string(action.type);
  f.object = r.key();
  f.ns = r.ns;
  f.stack = r.stack;
  f.origin = r.origin;
  return f;
}

void log_action_started(spdlog::level::level_enum level, const Action& action) {
  log_with(level, to_string(action.type) + " " + describe(action.subject()), fields_of(action));
}

void log_action_done(spdlog::level::level_enum level, const Action& action, double seconds) {
  LogFields f = fields_of(action);
  f.seconds = seconds;
  log_with(level, fmt::format("{} {}: done in {:.3f} s", to_string(action.type), describe(action.subject()), seconds), f);
}

}  // namespace topo
