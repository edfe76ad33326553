// The reaper property catches the planted coalesced-SIGCHLD bug of
// //src:reaper_reap_once (handler strategy, one waitpid per SIGCHLD) and
// shrinks it to a couple of children released together.
#include <string>

#include <gtest/gtest.h>

#include "property_tests/counterexample.h"
#include "property_tests/reaper_case.h"
#include "property_tests/reaper_harness.h"

namespace forkcheck {
namespace {

TEST(ReaperPlanted, ReapOnceHandlerShrinksToTwoOrThreeChildren) {
  ReaperLimits limits = ScaledReaperLimits();
  // Every failing run waits this long for a zombie that will never be reaped;
  // the bug leaves it forever, so a short grace only speeds up shrinking.
  limits.zombie_grace_ms = 100;
  auto found = FindCounterexample(
      [&] { CheckReaper(ReaperKind::kHandler, *GenReaperCase(20), limits); }, 1, 100);
  ASSERT_TRUE(found) << "the planted reap-once bug went unnoticed";
  std::cout << "shrunk (" << found->shrinks << " steps): " << found->last_value << "\n  "
            << found->description << std::endl;
  int children = std::stoi(found->last_value);  // "N children (...)"
  EXPECT_GE(children, 2) << found->last_value;  // one child is always reaped
  EXPECT_LE(children, 3) << found->last_value;
  EXPECT_NE(found->description.find("zombie"), std::string::npos) << found->description;
}

}  // namespace
}  // namespace forkcheck
