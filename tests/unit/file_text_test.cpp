// How File resources read in plans: size and what an edit changed, never the text.
#include "reconciler/output/file_text.hpp"

#include <gtest/gtest.h>

#include "reconciler/output/plan_format.hpp"

namespace topo {

TEST(FileText, CountsLines) {
  EXPECT_EQ(line_count_text(""), "0 lines");
  EXPECT_EQ(line_count_text("a\n"), "1 line");
  EXPECT_EQ(line_count_text("a\nb\nc"), "3 lines");  // a last line without newline counts
}

TEST(FileText, SaysWhatAHandEditChanged) {
  std::string desired = "x\ny\nz\n";
  EXPECT_EQ(content_change_text("x\ny\nz\nadded\n", desired), "4 lines -> 3 lines (0 to restore, 1 to drop)");
  EXPECT_EQ(content_change_text("x\nz\n", desired), "2 lines -> 3 lines (1 to restore, 0 to drop)");
  EXPECT_EQ(content_change_text("x\nY\nz\n", desired), "3 lines -> 3 lines (1 to restore, 1 to drop)");
  EXPECT_EQ(content_change_text("z\ny\nx\n", desired), "3 lines -> 3 lines (same lines, other order or line ends)");
  EXPECT_EQ(content_change_text("", desired), "0 lines -> 3 lines (3 to restore, 0 to drop)");
}

TEST(FileText, PlanLinesShowSizesNotTexts) {
  Resource live, want;
  live.kind = want.kind = Kind::File;
  live.ns = want.ns = "c1";
  live.name = want.name = "hosts";
  live.attrs[attr::content] = "127.0.0.1\tlocalhost\n10.0.0.9\tevil\n";
  want.attrs[attr::content] = "127.0.0.1\tlocalhost\n";
  Plan plan;
  Action create;
  create.type = ActionType::Create;
  create.set_after(want);
  Action update;
  update.type = ActionType::Update;
  update.set_before(live);
  update.set_after(want);
  update.changes = {{attr::content, live.attrs[attr::content], want.attrs[attr::content]}};
  plan.actions = {create, update};
  std::string text = format_plan_text(plan, false);
  EXPECT_NE(text.find("  + file c1:hosts (1 line)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  ~ file c1:hosts: content 2 lines -> 1 line (0 to restore, 1 to drop)\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("evil"), std::string::npos) << text;
}

}  // namespace topo
