// main() of the scenario test binaries: they register their cases at run
// time, and every process they start must end up adopted and reaped here.
#include <gtest/gtest.h>

#include "conformance/harness/own_children.h"
#include "scenarios/test_support.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  forkcheck::BecomeSubreaper();
  forkcheck::RegisterScenarioTests();
  return RUN_ALL_TESTS();
}
