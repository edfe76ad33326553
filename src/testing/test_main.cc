// gtest main for process-spawning tests: the test process is a subreaper and
// every descendant is killed and reaped after each test.
#include <signal.h>

#include <gtest/gtest.h>

#include "src/testing/proc.h"

namespace {

class ReapDescendants : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo&) override {
    forkcheck::testing::KillAndReapDescendants();
  }
};

}  // namespace

int main(int argc, char** argv) {
  forkcheck::testing::BecomeSubreaper();
  signal(SIGPIPE, SIG_IGN);
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new ReapDescendants);
  return RUN_ALL_TESTS();
}
