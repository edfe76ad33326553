// One bug, one failure: the whole catalogue against a server with one
// planted bug fails exactly the requirements that bug breaks; every other
// check passes, or is BLOCKED naming the requirement that covers it.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "conformance/harness/procfs.h"
#include "scenarios/test_support.h"

namespace forkcheck {
namespace {

struct Expected {
  const char* bug;
  std::set<std::string> fails;
  std::map<std::string, std::string> blocked;  // ID -> blocked_by; empty: any BLOCK must name a failed ID
  std::set<std::string> may_fail = {};         // also flagged by chance (a race the load may or may not hit)
};

const Expected kExpected[] = {
    // A server that never forks fails CONC-1; every check about children is
    // blocked by it.
    {"iterative", {"CONC-1"}, {}},
    // No SIGCHLD handler, reaping only after accept(): only REAP
    // requirements fail; the checks that need reaping say REAP blocked them.
    {"reap-on-accept",
     {"REAP-1", "REAP-2", "REAP-3", "REAP-4", "REAP-5"},
     {{"WAIT-1", "REAP-1"},
      {"LOAD-1", "REAP-2"},
      {"STAT-1", "REAP-2"},
      {"STAT-2", "REAP-2"},
      {"STAT-3", "REAP-3"},
      {"STAT-4", "REAP-3"}}},
    // The parent keeps every connected socket: the client never sees EOF.
    {"leak-conn-fd", {"ECHO-2", "FD-2"}, {{"LOAD-1", "FD-2"}, {"ALRM-2", "FD-2"}}},
    // Echo still queued at the half-close is thrown away.
    {"drop-echo-on-half-close", {"ECHO-1"}, {}},
    // The fork() race, exposed by the perturbation every time; LOAD-1's
    // unperturbed load may hit it too.
    {"fork-race", {"FORK-2"}, {}, {"LOAD-1"}},
    // A descriptor leaked every 50 connections: only many sessions show it.
    {"log-reopen-leak", {"LOAD-1"}, {}},
};

class VerdictSet : public testing::Test {
 public:
  explicit VerdictSet(const Expected& expected) : expected_(expected) {}
  void TestBody() override {
    CaseConfig config = MutantConfig(expected_.bug);
    config.seed = 20261125;
    std::set<std::string> failed;
    std::map<std::string, std::string> blocked;
    for (const Scenario& scenario : AllScenarios()) {
      if (std::string(scenario.requirement.profile) == "prefork") continue;  // fork mode: prefork_test has these
      CaseResult result = RunScenario(scenario.requirement.id, config);
      const std::string id = scenario.requirement.id;
      if (result.outcome.verdict == Verdict::kFail) failed.insert(id);
      if (result.outcome.verdict == Verdict::kBlocked) blocked[id] = result.outcome.blocked_by;
      if (result.outcome.verdict == Verdict::kSkip) ADD_FAILURE() << id << " skipped: " << result.outcome.evidence;
      if (result.outcome.verdict != Verdict::kPass)
        std::cerr << VerdictName(result.outcome.verdict) << " " << id << ": " << result.outcome.evidence << "\n";
    }
    EXPECT_TRUE(DescendantsOf(getpid()).empty()) << "processes left behind";
    for (const std::string& id : expected_.may_fail) failed.erase(id);
    EXPECT_EQ(failed, expected_.fails) << "--bug=" << expected_.bug;
    for (const auto& [id, by] : blocked) {
      EXPECT_TRUE(expected_.fails.count(by)) << id << " blocked by " << by << ", which did not fail";
      if (!expected_.blocked.empty()) {
        auto wanted = expected_.blocked.find(id);
        EXPECT_TRUE(wanted != expected_.blocked.end() && wanted->second == by)
            << id << " blocked by " << by << " unexpectedly";
      }
    }
    for (const auto& [id, by] : expected_.blocked)
      EXPECT_EQ(blocked.count(id) ? blocked[id] : "(not blocked)", by) << id;
  }

 private:
  const Expected& expected_;
};

}  // namespace

void RegisterScenarioTests() {
  for (const Expected& expected : kExpected) {
    std::string name = GtestName(expected.bug);
    for (char& c : name)
      if (c == '-') c = '_';
    testing::RegisterTest("OneBugOneFailure", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [&expected]() -> testing::Test* { return new VerdictSet(expected); });
  }
}

}  // namespace forkcheck
