#include "conformance/suite.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "conformance/case_pool.h"
#include "conformance/harness/own_children.h"
#include "conformance/l10n/tr.h"
#include "conformance/run_case.h"
#include "scenarios/model.h"

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
    // TRANSLATORS: {0}, {1} are requirement IDs (REAP-3 passed ..., so this failure is ECHO-1's own).
    result->evidence += "; " + Say("{0} passed on this server, so this failure is {1}'s own", result->blocked_by,
                                   result->scenario->requirement.id);
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

CaseConfig ConfigFor(const RunnerOptions& options, const StatusParser* status) {
  CaseConfig config;
  config.spec.argv = options.command;
  config.spec.host = options.declared.host;
  config.spec.protocol = options.protocol;
  config.spec.start_timeout = Scaled(Millis(5000));
  config.declared = options.declared;
  config.status = status;
  // A check of a long idle timeout (busybox httpd's 60 s) waits past it.
  config.case_budget = std::max(config.case_budget, Millis(3 * options.declared.idle_timeout_ms + 10000));
  return config;
}

namespace {

// Folds one run into its requirement's result: the first failure's
// evidence wins, then the last verdict.
void AddRun(RequirementResult* result, CaseResult outcome, double started_ms, RunReport* report) {
  if (result->failures == 0) KeepTimeline(result, &outcome, started_ms);
  ++result->runs;
  result->duration_ms += outcome.duration_ms;
  report->zombie_lifetimes_ms.insert(report->zombie_lifetimes_ms.end(), outcome.zombie_lifetimes_ms.begin(),
                                     outcome.zombie_lifetimes_ms.end());
  report->reaped_before_seen += outcome.reaped_before_seen;
  if (outcome.outcome.verdict == Verdict::kFail) {
    if (result->failures++ == 0) {
      result->evidence = outcome.outcome.evidence;
      result->server_death = outcome.server_death;
      result->died_after_child = outcome.died_after_child;
      result->blocked_by.clear();
    }
    result->verdict = Verdict::kFail;
  } else if (result->failures == 0) {
    result->verdict = outcome.outcome.verdict;
    result->evidence = outcome.outcome.evidence;
    result->blocked_by = outcome.outcome.blocked_by;
  }
}

// Every run of every selected requirement, in SPEC order, each with the
// seed a one-at-a-time run gives it: --jobs never changes a schedule.
std::vector<CaseJob> PlanJobs(const RunnerOptions& options) {
  std::vector<CaseJob> jobs;
  uint64_t seed = options.seed;
  for (const Scenario* scenario : SelectScenarios(options))
    for (int run = 0; run < options.repeat; ++run) jobs.push_back({scenario, seed++});
  return jobs;
}

// Prints each requirement's line once all its runs are in, in SPEC order
// whatever order they ended in.
class InOrder {
 public:
  InOrder(const RunnerOptions& options, const Expectations& expected, std::ostream& out, Progress& progress,
          TerminalStyle style, RunReport* report)
      : options_(options), expected_(expected), out_(out), progress_(progress), style_(style), report_(report) {}

  void Add(size_t index, CaseResult outcome, double started_ms) {
    runs_[index] = {std::move(outcome), started_ms};
    while (Complete(next_)) Print();
  }

 private:
  bool Complete(size_t requirement) const {
    for (int run = 0; run < options_.repeat; ++run)
      if (runs_.count(requirement * options_.repeat + run) == 0) return false;
    return true;
  }
  void Print() {
    RequirementResult result;
    for (int run = 0; run < options_.repeat; ++run) {
      auto found = runs_.find(next_ * options_.repeat + run);
      result.scenario = found->second.first.scenario;
      AddRun(&result, std::move(found->second.first), found->second.second, report_);
      runs_.erase(found);
    }
    if (result.failures > 0 && result.runs > 1)
      result.evidence =
          Say("failed {0} of {1} runs; first failure: {2}", result.failures, result.runs, result.evidence);
    Reattribute(&result, report_->results);
    if (auto known = expected_.reasons.find(result.scenario->requirement.id); known != expected_.reasons.end())
      result.expectation = known->second;
    progress_.End();
    PrintResultLine(out_, result, options_.verbose, style_.color);
    out_.flush();
    report_->results.push_back(result);
    ++next_;
  }

  const RunnerOptions& options_;
  const Expectations& expected_;
  std::ostream& out_;
  Progress& progress_;
  TerminalStyle style_;
  RunReport* report_;
  std::map<size_t, std::pair<CaseResult, double>> runs_;
  size_t next_ = 0;
};

}  // namespace

RunReport RunSuite(const RunnerOptions& options, const StatusParser* status, const Expectations& expected,
                   std::ostream& out, TerminalStyle style) {
  RunReport report;
  report.xpass_fails = options.xpass_fails;
  report.sut = options.command;
  report.seed = options.seed;
  report.profiles.assign(options.declared.profiles.begin(), options.declared.profiles.end());
  report.reap_grace_ms = static_cast<int>(Scaled(Millis(options.declared.reap_grace_ms)).count());
  Clock::time_point start = Clock::now();
  std::vector<CaseJob> jobs = PlanJobs(options);
  Progress progress(out, style);
  InOrder printer(options, expected, out, progress, style, &report);
  std::map<size_t, double> started_ms;
  std::set<size_t> running;
  int requirements = static_cast<int>(jobs.size()) / options.repeat;
  auto show = [&](size_t index) {
    const Requirement& requirement = jobs[index].scenario->requirement;
    progress.Begin(
        CaseLabel(static_cast<int>(index) / options.repeat + 1, requirements, requirement.id, TitleOf(requirement)));
  };
  auto started = [&](size_t index) {
    started_ms[index] = MillisSince(start);
    running.insert(index);
    show(index);
  };
  // A result line clears the progress line: the earliest case still
  // running is shown again under it.
  auto done = [&](size_t index, CaseResult result) {
    running.erase(index);
    printer.Add(index, std::move(result), started_ms[index]);
    if (!running.empty()) show(*running.begin());
  };
  if (options.jobs <= 1) {
    CaseConfig config = ConfigFor(options, status);
    for (size_t i = 0; i < jobs.size(); ++i) {
      started(i);
      config.seed = jobs[i].seed;
      done(i, RunCase(*jobs[i].scenario, config));
    }
  } else {
    CasePool pool(options.argv, options.jobs, Scaled(ConfigFor(options, status).case_budget) + Scaled(Millis(30000)));
    pool.Run(jobs, started, done);
    KillAllDescendants(Scaled(Millis(10000)));
  }
  report.duration_ms = MillisSince(start);
  return report;
}

void PrintList(std::ostream& out, const RunnerOptions& options) {
  const Protocol& protocol = *options.protocol;
  int applies = 0;
  for (const Scenario& scenario : AllScenarios()) {
    const Requirement& requirement = scenario.requirement;
    char line[400];
    std::snprintf(line, sizeof line, "%-8s %-6s %-8s %s\n", requirement.id, LevelName(requirement.level),
                  requirement.profile, TitleOf(requirement));
    out << line;
    std::string missing = MissingNeed(requirement, protocol);
    std::string other_model = ModelMismatch(requirement, options.declared);
    if (!missing.empty())
      out << "         " << Say("skipped with --protocol={0}: {1}", protocol.name(), missing) << "\n";
    else if (!other_model.empty())
      out << "         " << Say("skipped: {0}", other_model) << "\n";
    applies += missing.empty() && other_model.empty();
  }
  out << Say("with --protocol={0} and --model={1}, {2} of {3} requirements apply", protocol.name(),
             options.declared.model, applies, AllScenarios().size())
      << "\n";
}

}  // namespace forkcheck
