// Issue 13, point 6: a rolled-back apply never reads like a successful one,
// in text or in JSON, and a failure under -o json is a JSON document with
// the errors (each manifest error with its file, line and column).
#include "reconciler/output/outcome_format.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reconciler/planner/diff.hpp"
#include "tests/unit/fake_kernel.hpp"
#include "tests/unit/owned_plan.hpp"

namespace topo {
namespace {

using nlohmann::json;
using testing::res;

Plan one_namespace() { return testing::make_owned_plan({res(Kind::Namespace, "", "c13")}, Observed{}).plan; }

RunOutcome rolled_back() {
  RunOutcome o;
  ExecuteResult r;
  r.ok = false;
  r.steps_done = 1;
  r.error = "create file c13:hosts: No space left on device";
  r.rolled_back = true;
  o.execution = r;
  o.error_lines = {"Error: " + r.error, "Rolled back the 1 action(s) already done; the kernel is as it was."};
  return o;
}

RunOutcome succeeded() {
  RunOutcome o;
  o.ok = true;
  o.execution = ExecuteResult{};
  return o;
}

TEST(OutcomeFormat, ARolledBackApplyNeverPrintsWhatASuccessfulOnePrints) {
  const Plan plan = one_namespace();
  const std::string ok_text = format_run_text("Apply", plan, succeeded());
  const std::string failed_text = format_run_text("Apply", plan, rolled_back());
  EXPECT_EQ(ok_text, "Apply complete: 1 added, 0 changed, 0 destroyed.\n");
  EXPECT_EQ(failed_text, "Apply failed and was rolled back: nothing was changed.\n");
  EXPECT_EQ(failed_text.find("complete"), std::string::npos) << failed_text;

  const json ok = json::parse(format_run_json("apply", &plan, succeeded()));
  const json failed = json::parse(format_run_json("apply", &plan, rolled_back()));
  EXPECT_NE(ok, failed);
  EXPECT_EQ(ok["ok"], true);
  EXPECT_EQ(ok["applied"], true);
  EXPECT_EQ(ok["rolled_back"], false);
  EXPECT_TRUE(ok["errors"].empty());
  EXPECT_EQ(ok["plan"]["summary"]["add"], 1);

  EXPECT_EQ(failed["ok"], false);
  EXPECT_EQ(failed["applied"], false);
  EXPECT_EQ(failed["rolled_back"], true);
  EXPECT_EQ(failed["rollback"]["complete"], true);
  EXPECT_EQ(failed["rollback"]["actions_undone"], 1);
  ASSERT_EQ(failed["errors"].size(), 1u);
  EXPECT_EQ(failed["errors"][0]["message"], "create file c13:hosts: No space left on device");
}

TEST(OutcomeFormat, AnIncompleteRollbackSaysSomeChangesRemain) {
  RunOutcome o = rolled_back();
  o.execution->rolled_back = false;
  o.execution->rollback_errors = {"undo of namespace/c13: Device or resource busy"};
  const Plan plan = one_namespace();
  EXPECT_NE(format_run_text("Apply", plan, o).find("rollback is incomplete"), std::string::npos);
  const json j = json::parse(format_run_json("apply", &plan, o));
  EXPECT_EQ(j["rolled_back"], true);
  EXPECT_EQ(j["rollback"]["complete"], false);
  EXPECT_EQ(j["rollback"]["errors"][0], "undo of namespace/c13: Device or resource busy");
}

TEST(OutcomeFormat, AFailureBeforeTheKernelWasTouchedIsNoRollback) {
  RunOutcome o;
  o.error_lines = {"Error: write file /var/lib/topo/state.json: No space left on device", "nothing was changed."};
  const Plan plan = one_namespace();
  EXPECT_EQ(format_run_text("Destroy", plan, o), "Destroy failed: nothing was changed.\n");
  const json j = json::parse(format_run_json("destroy", &plan, o));
  EXPECT_EQ(j["command"], "destroy");
  EXPECT_EQ(j["applied"], false);
  EXPECT_EQ(j["rolled_back"], false);
  EXPECT_FALSE(j.contains("rollback"));
  ASSERT_EQ(j["errors"].size(), 1u) << "the closing \"nothing was changed.\" is no error";
  EXPECT_EQ(j["errors"][0]["message"], "write file /var/lib/topo/state.json: No space left on device");

  RunOutcome cancelled;
  cancelled.cancelled = true;
  EXPECT_EQ(format_run_text("Apply", plan, cancelled), "Apply cancelled: nothing was changed.\n");
  EXPECT_EQ(json::parse(format_run_json("apply", &plan, cancelled))["errors"].size(), 1u);
}

TEST(OutcomeFormat, ErrorDocumentsCarryTheErrorsAndWhereManifestErrorsAre) {
  LoadError e{{"/m/web.yaml", 4, 13}, "network \"web\": subnet \"10.65.0.0/99\" is not a CIDR prefix"};
  const json v = json::parse(format_error_json("validate", {e.str(), "1 error(s); nothing was changed."}, {e}));
  EXPECT_EQ(v["command"], "validate");
  EXPECT_EQ(v["ok"], false);
  EXPECT_EQ(v["valid"], false);
  ASSERT_EQ(v["errors"].size(), 1u);
  EXPECT_EQ(v["errors"][0]["file"], "/m/web.yaml");
  EXPECT_EQ(v["errors"][0]["line"], 4);
  EXPECT_EQ(v["errors"][0]["column"], 13);
  EXPECT_EQ(v["errors"][0]["message"], e.message);

  const json a = json::parse(format_error_json("apply", {"another topo holds the lock /s/lock"}));
  EXPECT_EQ(a["applied"], false);
  EXPECT_EQ(a["rolled_back"], false);
  EXPECT_EQ(a["errors"][0]["message"], "another topo holds the lock /s/lock");
  EXPECT_FALSE(json::parse(format_error_json("plan", {"x"})).contains("applied"));
}

}  // namespace
}  // namespace topo
