// The whole catalogue against the reference server, once per reaper
// strategy: every requirement passes (or is skipped with a stated reason).
#include <gtest/gtest.h>

#include "conformance/harness/procfs.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

class ReferenceCase : public testing::Test {
 public:
  ReferenceCase(std::string id, std::string reaper) : id_(std::move(id)), reaper_(std::move(reaper)) {}
  void TestBody() override {
    CaseConfig config = ReferenceConfig(reaper_);
    ASSERT_FALSE(config.spec.argv.empty()) << "reference server not found in runfiles";
    config.seed = 20261124;
    CaseResult result = RunScenario(id_, config);
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind after " << id_;
    if (result.outcome.verdict == Verdict::kSkip) GTEST_SKIP() << result.outcome.evidence;
    EXPECT_EQ(result.outcome.verdict, Verdict::kPass) << id_ << ": " << result.outcome.evidence;
  }

 private:
  std::string id_;
  std::string reaper_;
};

}  // namespace

void RegisterScenarioTests() {
  for (const char* reaper : {"handler", "signalfd"}) {
    for (const Scenario& scenario : AllScenarios()) {
      std::string id = scenario.requirement.id;
      std::string name = GtestName(id);
      testing::RegisterTest(("Reference_" + std::string(reaper)).c_str(), name.c_str(), nullptr, nullptr,
                            __FILE__, __LINE__, [id, reaper]() -> testing::Test* {
                              return new ReferenceCase(id, reaper);
                            });
    }
  }
}

}  // namespace forkcheck
