// manifest.md "Files": a set that declares nothing is refused by everything
// that converges to it (plan, diff, apply, validate; watch in its controller
// test); only destroy, which never converges to the manifests, loads it.
#include <gtest/gtest.h>

#include "reconciler/pipeline/pipeline.hpp"
#include "tests/unit/loader_test_util.hpp"

namespace topo::testing {
namespace {

using PipelineEmptySet = LoaderTest;

std::string joined(const UserError& e) {
  std::string s;
  for (const auto& l : e.lines) s += l + "\n";
  return s;
}

TEST_F(PipelineEmptySet, AZeroByteFileIsRefusedWithAPointerToDestroy) {
  const std::string file = write("m.yaml", "");
  try {
    load_for_node({file}, "");
    FAIL() << "an empty set was accepted";
  } catch (const UserError& e) {
    ASSERT_EQ(e.lines.size(), 2u) << joined(e);
    EXPECT_EQ(rel(e.lines[0]),
              "m.yaml: the manifests declare nothing (no networks, containers, attachments or hosts); converging "
              "to them would remove everything topo manages. To remove it on purpose, run `topo destroy`.");
    EXPECT_EQ(e.lines[1], "nothing was changed.");
  }
  EXPECT_THROW(load_to_converge({file}), UserError);
  EXPECT_NO_THROW(load_or_throw({file}));  // destroy's load
}

TEST_F(PipelineEmptySet, DocumentsWithOnlyVersionOrCommentsDeclareNothing) {
  write("d/a.yaml", "version: 1\n");
  write("d/b.yaml", "# nothing yet\n---\n");
  EXPECT_THROW(load_to_converge({path("d")}), UserError);
  write("d/c.yaml", "containers:\n  - name: x\n");
  EXPECT_NO_THROW(load_to_converge({path("d")}));
}

}  // namespace
}  // namespace topo::testing
