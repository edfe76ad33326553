// Every check is shown to FAIL on a server with exactly its bug, and to pass
// on the same server without it (and on a correct server written differently).
#include <gtest/gtest.h>

#include "conformance/harness/procfs.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

struct Planted {
  const char* id;
  const char* bug;
};

// Each requirement with a bug that breaks it; SPEC.md names the same pairs.
const Planted kPlanted[] = {
    {"ECHO-1", "corrupt"},
    {"ECHO-1", "drop-echo-on-half-close"},
    {"ECHO-2", "no-eof-close"},
    {"CONC-1", "iterative"},
    {"REAP-1", "slow-reap"},
    {"REAP-2", "reap-once"},
    {"REAP-3", "die-on-signaled-child"},
    {"REAP-4", "reap-on-accept"},
    {"REAP-5", "oneshot-handler"},
    {"INTR-1", "eintr-fatal"},
    {"INTR-1", "blocking-wait-handler"},
    {"INTR-2", "eintr-fatal"},
    {"INTR-3", "child-eintr-fatal"},
    {"INTR-3", "short-write-bug"},
    {"FD-1", "keep-listener"},
    {"FD-2", "leak-conn-fd"},
    {"FORK-1", "exit-on-fork-fail"},
    {"FORK-2", "fork-race"},
    {"EMFILE-1", "emfile-spin"},
    {"WAIT-1", "wait-eintr-gives-up"},
    {"LOAD-1", "log-reopen-leak"},
    {"LIMIT-1", "ignore-max-children"},
    {"SHUT-1", "ignore-sigterm"},
    {"SHUT-2", "orphan-children-on-sigint"},
    {"STAT-1", "double-report"},
    {"STAT-2", "raw-status"},
    {"STAT-3", "signal-as-exit"},
    {"STAT-4", "no-core-flag"},
    {"ALRM-1", "no-idle-timeout"},
    {"ALRM-2", "timeout-goodbye"},
    {"ALRM-3", "no-rearm"},
};

class MutantCase : public testing::Test {
 public:
  MutantCase(std::string id, std::string bug, bool expect_fail)
      : id_(std::move(id)), bug_(std::move(bug)), expect_fail_(expect_fail) {}
  void TestBody() override {
    CaseConfig config = MutantConfig(bug_);
    if (bug_ == "ignore-sigchld-correct") config.declared.profiles = {"core", "hooks", "alarm", "limit", "shutdown"};
    config.seed = 7;
    CaseResult result = RunScenario(id_, config);
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
    if (expect_fail_) {
      EXPECT_EQ(result.outcome.verdict, Verdict::kFail)
          << id_ << " did not fail on --bug=" << bug_ << ": " << result.outcome.evidence;
      EXPECT_FALSE(result.outcome.evidence.empty());
    } else {
      if (result.outcome.verdict == Verdict::kSkip) GTEST_SKIP() << result.outcome.evidence;
      EXPECT_EQ(result.outcome.verdict, Verdict::kPass) << id_ << " on --bug=" << bug_ << ": "
                                                        << result.outcome.evidence;
    }
  }

 private:
  std::string id_, bug_;
  bool expect_fail_;
};

void Register(const std::string& suite, const std::string& id, const std::string& bug, bool expect_fail) {
  std::string name = GtestName(id) + "_" + GtestName(bug);
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [id, bug, expect_fail]() -> testing::Test* { return new MutantCase(id, bug, expect_fail); });
}

// Done when of the fault-injection issue: the spinning server is flagged by
// the injected EMFILE and by the kernel's own, each on its own evidence.
TEST(EmfileSpin, FlaggedByTheKernelAndByThePreload) {
  CaseResult result = RunScenario("EMFILE-1", MutantConfig("emfile-spin"));
  EXPECT_EQ(result.outcome.verdict, Verdict::kFail);
  EXPECT_NE(result.outcome.evidence.find("with prlimit), the server used"), std::string::npos) << result.outcome.evidence;
  EXPECT_NE(result.outcome.evidence.find("(preload: accept EMFILE"), std::string::npos) << result.outcome.evidence;
  const std::string& evidence = result.outcome.evidence;
  size_t first = evidence.find("it spins");
  EXPECT_NE(first, std::string::npos) << evidence;
  EXPECT_NE(evidence.find("it spins", first + 1), std::string::npos) << "only one backend flagged it: " << evidence;
}

}  // namespace

void RegisterScenarioTests() {
  for (const Planted& planted : kPlanted) Register("FailsOnItsBug", planted.id, planted.bug, true);
  for (const Scenario& scenario : AllScenarios()) {
    Register("PassesWithoutBug", scenario.requirement.id, "none", false);
    if (std::string(scenario.requirement.profile) != "status")
      Register("PassesOnSigIgnServer", scenario.requirement.id, "ignore-sigchld-correct", false);
  }
}

}  // namespace forkcheck
