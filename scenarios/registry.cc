#include <algorithm>
#include <cstring>

#include "scenarios/scenario.h"

namespace forkcheck {
namespace {

const char* const kSpecOrder[] = {
    "ECHO-1", "ECHO-2", "CONC-1", "REAP-1", "REAP-2",  "REAP-3", "REAP-4",
    "REAP-5", "INTR-1", "INTR-2", "INTR-3", "FD-1",    "FD-2",   "FORK-1",  "FORK-2",
    "EMFILE-1", "WAIT-1", "LOAD-1", "LIMIT-1", "SHUT-1", "SHUT-2", "STAT-1", "STAT-2",
    "STAT-3", "STAT-4", "ALRM-1", "ALRM-2", "ALRM-3", "PREF-1", "PREF-2", "PREF-3", "PREF-4",
};

size_t SpecRank(const char* id) {
  const size_t count = sizeof kSpecOrder / sizeof kSpecOrder[0];
  for (size_t i = 0; i < count; ++i)
    if (std::strcmp(kSpecOrder[i], id) == 0) return i;
  return count;
}

std::vector<Scenario>& MutableScenarios() {
  static auto* scenarios = new std::vector<Scenario>;
  return *scenarios;
}

}  // namespace

const char* LevelName(Level level) { return level == Level::kMust ? "MUST" : "SHOULD"; }

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kSkip: return "SKIP";
    case Verdict::kBlocked: return "BLOCK";
  }
  return "?";
}

std::string MissingNeed(const Requirement& requirement, const Protocol& protocol) {
  for (Need need : {Need::kExactEcho, Need::kLargeReply})
    if ((requirement.needs & NeedBit(need)) && !protocol.Provides(need)) return protocol.Lacks(need);
  return "";
}

ScenarioRegistrar::ScenarioRegistrar(const Requirement& requirement, ScenarioFn run, bool needs_faults) {
  auto& scenarios = MutableScenarios();
  scenarios.push_back({requirement, run, needs_faults});
  std::stable_sort(scenarios.begin(), scenarios.end(), [](const Scenario& a, const Scenario& b) {
    return SpecRank(a.requirement.id) < SpecRank(b.requirement.id);
  });
}

const std::vector<Scenario>& AllScenarios() { return MutableScenarios(); }

const Scenario* FindScenario(const std::string& id) {
  for (const Scenario& scenario : AllScenarios())
    if (id == scenario.requirement.id) return &scenario;
  return nullptr;
}

}  // namespace forkcheck
