#include "reconciler/cli/action_progress.hpp"

#include "reconciler/output/log_fields.hpp"
#include "reconciler/output/plan_format.hpp"

namespace topo::cli {

void ActionProgress::started(const Action& a) {
  line_.start(total_);
  line_.working_on(to_string(a.type) + " " + describe(a.subject()));
  log_action_started(spdlog::level::debug, a);
}

void ActionProgress::done(const Action& a, double seconds) {
  line_.done_one();
  log_action_done(spdlog::level::debug, a, seconds);
}

}  // namespace topo::cli
