#include "conformance/suite.h"

#include <cstdio>

#include "conformance/run_case.h"

namespace forkcheck {

std::vector<const Scenario*> SelectScenarios(const RunnerOptions& options) {
  std::vector<const Scenario*> selected;
  for (const Scenario& scenario : AllScenarios()) {
    const std::string id = scenario.requirement.id;
    if (!options.only.empty() && !MatchesAnyGlob(id, options.only)) continue;
    if (MatchesAnyGlob(id, options.skip)) continue;
    selected.push_back(&scenario);
  }
  return selected;
}

// A BLOCK stands only while its blocker did not pass: a check that blames
// a requirement the server meets has failed on its own.
void Reattribute(RequirementResult* result, const std::vector<RequirementResult>& earlier) {
  if (result->verdict != Verdict::kBlocked) return;
  for (const RequirementResult& other : earlier) {
    if (result->blocked_by != other.scenario->requirement.id || other.verdict != Verdict::kPass) continue;
    result->verdict = Verdict::kFail;
    result->evidence += "; " + result->blocked_by + " passed on this server, so this failure is " +
                        result->scenario->requirement.id + "'s own";
    result->blocked_by.clear();
    ++result->failures;
  }
}

// The timeline shows the first failed run, else the last one.
void KeepTimeline(RequirementResult* result, CaseResult* outcome, double started_ms) {
  result->events = std::move(outcome->events);
  result->server_pid = outcome->server_pid;
  result->started_ms = started_ms;
}

RunReport RunSuite(const RunnerOptions& options, const StatusParser* status, const Expectations& expected,
                   std::ostream& out, TerminalStyle style) {
  RunReport report;
  report.xpass_fails = options.xpass_fails;
  report.sut = options.command;
  report.seed = options.seed;
  report.profiles.assign(options.declared.profiles.begin(), options.declared.profiles.end());
  report.reap_grace_ms = static_cast<int>(Scaled(Millis(options.declared.reap_grace_ms)).count());
  Clock::time_point start = Clock::now();
  CaseConfig config;
  config.spec.argv = options.command;
  config.spec.host = options.declared.host;
  config.spec.protocol = options.protocol;
  config.spec.start_timeout = Scaled(Millis(5000));
  config.declared = options.declared;
  config.status = status;
  uint64_t case_seed = options.seed;
  std::vector<const Scenario*> selected = SelectScenarios(options);
  Progress progress(out, style);
  for (const Scenario* scenario : selected) {
    RequirementResult result;
    result.scenario = scenario;
    const Requirement& requirement = scenario->requirement;
    progress.Begin(CaseLabel(static_cast<int>(report.results.size()) + 1, static_cast<int>(selected.size()),
                             requirement.id, requirement.title));
    for (int run = 0; run < options.repeat; ++run) {
      config.seed = case_seed++;
      double started_ms = MillisSince(start);
      CaseResult outcome = RunCase(*scenario, config);
      if (result.failures == 0) KeepTimeline(&result, &outcome, started_ms);
      ++result.runs;
      result.duration_ms += outcome.duration_ms;
      report.zombie_lifetimes_ms.insert(report.zombie_lifetimes_ms.end(), outcome.zombie_lifetimes_ms.begin(),
                                        outcome.zombie_lifetimes_ms.end());
      report.reaped_before_seen += outcome.reaped_before_seen;
      if (outcome.outcome.verdict == Verdict::kFail) {
        if (result.failures++ == 0) {
          result.evidence = outcome.outcome.evidence;
          result.server_death = outcome.server_death;
          result.died_after_child = outcome.died_after_child;
          result.blocked_by.clear();
        }
        result.verdict = Verdict::kFail;
      } else if (result.failures == 0) {
        result.verdict = outcome.outcome.verdict;
        result.evidence = outcome.outcome.evidence;
        result.blocked_by = outcome.outcome.blocked_by;
      }
    }
    if (result.failures > 0 && result.runs > 1)
      result.evidence = "failed " + std::to_string(result.failures) + " of " + std::to_string(result.runs) +
                        " runs; first failure: " + result.evidence;
    Reattribute(&result, report.results);
    if (auto known = expected.reasons.find(scenario->requirement.id); known != expected.reasons.end())
      result.expectation = known->second;
    progress.End();
    PrintResultLine(out, result, options.verbose, style.color);
    out.flush();
    report.results.push_back(result);
  }
  report.duration_ms = MillisSince(start);
  return report;
}

void PrintList(std::ostream& out, const Protocol& protocol) {
  int applies = 0;
  for (const Scenario& scenario : AllScenarios()) {
    const Requirement& requirement = scenario.requirement;
    char line[200];
    std::snprintf(line, sizeof line, "%-8s %-6s %-8s %s\n", requirement.id, LevelName(requirement.level),
                  requirement.profile, requirement.title);
    out << line;
    std::string missing = MissingNeed(requirement, protocol);
    if (!missing.empty()) out << "         skipped with --protocol=" << protocol.name() << ": " << missing << "\n";
    applies += missing.empty();
  }
  out << "with --protocol=" << protocol.name() << ", " << applies << " of " << AllScenarios().size()
      << " requirements apply\n";
}

}  // namespace forkcheck
