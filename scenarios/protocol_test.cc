// Every protocol (http, banner, exchange) against the mutant server speaking
// it: the correct server passes every check the protocol can exercise and
// is SKIPped, with the reason, on the others; planted bugs are found through
// every protocol, a reaping bug first of all.
#include <gtest/gtest.h>

#include "conformance/harness/procfs.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

struct Speaking {
  const char* name;   // GoogleTest name
  const char* speak;  // mutant_server --speak
  ProtocolSpec spec;
};

std::vector<Speaking> Protocols() {
  ProtocolSpec http, banner, exchange;
  http.name = "http";
  http.http_large_path = "/big";
  banner.name = "banner";
  banner.banner = "^220 ";
  exchange.name = "exchange:" + RunfilePath("scenarios/testdata/protocols/line.exchange");
  return {{"Http", "http", http}, {"Banner", "banner", banner}, {"Exchange", "line", exchange}};
}

CaseConfig SpeakingConfig(const Speaking& speaking, const std::string& bug) {
  CaseConfig config = MutantConfig(bug);
  config.spec.argv.push_back(std::string("--speak=") + speaking.speak);
  std::string error;
  config.spec.protocol = MakeProtocol(speaking.spec, &error);
  EXPECT_TRUE(config.spec.protocol) << error;
  return config;
}

class SpeakingCase : public testing::Test {
 public:
  SpeakingCase(Speaking speaking, std::string id, std::string bug, bool expect_fail)
      : speaking_(std::move(speaking)), id_(std::move(id)), bug_(std::move(bug)), expect_fail_(expect_fail) {}
  void TestBody() override {
    CaseConfig config = SpeakingConfig(speaking_, bug_);
    ASSERT_TRUE(config.spec.protocol);
    config.seed = 7;
    CaseResult result = RunScenario(id_, config);
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
    std::string missing = MissingNeed(FindScenario(id_)->requirement, *config.spec.protocol);
    if (!missing.empty()) {
      EXPECT_EQ(result.outcome.verdict, Verdict::kSkip) << result.outcome.evidence;
      EXPECT_EQ(result.outcome.evidence, missing);
    } else if (expect_fail_) {
      EXPECT_EQ(result.outcome.verdict, Verdict::kFail)
          << id_ << " did not fail through " << speaking_.speak << " on --bug=" << bug_ << ": " << result.outcome.evidence;
    } else {
      EXPECT_EQ(result.outcome.verdict, Verdict::kPass)
          << id_ << " through " << speaking_.speak << ": " << result.outcome.evidence;
    }
  }

 private:
  Speaking speaking_;
  std::string id_, bug_;
  bool expect_fail_;
};

void Register(const Speaking& speaking, const std::string& id, const std::string& bug, bool expect_fail) {
  std::string suite = std::string(speaking.name) + (expect_fail ? "FindsTheBug" : "Conforms");
  std::string name = GtestName(id) + (expect_fail ? "_" + GtestName(bug) : "");
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [speaking, id, bug, expect_fail]() -> testing::Test* {
                          return new SpeakingCase(speaking, id, bug, expect_fail);
                        });
}

// Bugs of the parent (whatever the children say) and of the child's writes.
struct Planted {
  const char* id;
  const char* bug;
};
const Planted kPlanted[] = {
    {"REAP-2", "reap-once"},     {"CONC-1", "iterative"},        {"REAP-3", "die-on-signaled-child"},
    {"INTR-2", "eintr-fatal"},   {"FD-2", "leak-conn-fd"},        {"FORK-1", "exit-on-fork-fail"},
    {"FORK-2", "fork-race"},     {"LIMIT-1", "ignore-max-children"}, {"SHUT-1", "ignore-sigterm"},
    {"ALRM-1", "no-idle-timeout"}, {"STAT-2", "raw-status"},      {"INTR-3", "short-write-bug"},
    {"INTR-3", "child-eintr-fatal"},
};

}  // namespace

void RegisterScenarioTests() {
  for (const Speaking& speaking : Protocols()) {
    for (const Scenario& scenario : AllScenarios())
      if (std::string(scenario.requirement.profile) != "prefork")  // prefork_test has these
        Register(speaking, scenario.requirement.id, "none", false);
    for (const Planted& planted : kPlanted) Register(speaking, planted.id, planted.bug, true);
  }
}

}  // namespace forkcheck
