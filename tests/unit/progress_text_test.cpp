// The progress line's text: counts, share, time and the current object, cut
// to the terminal so it never wraps (a wrapped line cannot be redrawn in place).
#include <gtest/gtest.h>

#include "reconciler/output/progress_text.hpp"

namespace topo {
namespace {

TEST(ProgressText, SaysHowFarHowLongAndWhat) {
  EXPECT_EQ(format_progress("apply", 12, 40, 3.24, "create link c1/eth0", 200),
            "apply: 12/40 (30%), 3.2 s, create link c1/eth0");
  EXPECT_EQ(format_progress("verify", 0, 3, 1.0, "", 200), "verify: 0/3 (0%), 1.0 s");
  EXPECT_EQ(format_progress("destroy", 0, 0, 1.0, "", 200), "destroy: 0/0 (100%), 1.0 s");
}

TEST(ProgressText, IsCutToTheTerminalLeavingTheLastColumnFree) {
  const std::string line = format_progress("apply", 1, 2, 1.0, std::string(300, 'x'), 40);
  EXPECT_EQ(line.size(), 39u);
  EXPECT_EQ(line.substr(0, 20), "apply: 1/2 (50%), 1.");
}

TEST(ProgressText, NeverCutsAUtf8CharacterInTwo) {
  // "é" is two bytes; the cut would fall between them.
  const std::string head = "apply: 1/2 (50%), 1.0 s, ";
  const std::string line = format_progress("apply", 1, 2, 1.0, "x\xC3\xA9z", head.size() + 3);
  EXPECT_EQ(line, head + "x") << "the first byte of é alone is not text";
}

}  // namespace
}  // namespace topo
