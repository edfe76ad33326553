#include "conformance/fuzz/fuzz.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "conformance/fuzz/commands.h"
#include "conformance/fuzz/fuzz_server.h"
#include "conformance/harness/own_children.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

// rapidcheck's default listener would print a reproduce line at exit.
class QuietListener : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

std::string MakeWorkdir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/forkcheck-fuzz-XXXXXX";
  return mkdtemp(pattern.data()) ? pattern : std::string(base ? base : "/tmp");
}

// Whether fork() failures can be injected into this server, and why not.
bool ForkFailuresReach(const FuzzOptions& options, const std::string& workdir, std::string* why) {
  if (!options.fork_failures || options.argv.empty()) {
    *why = Tr("fork failures not requested");
    return false;
  }
  return FaultPlan::ForProgram(ResolveProgram(options.argv[0]), workdir, options.declared.backends, why) != nullptr;
}

FuzzModel InitialModel(const FuzzOptions& options, bool fork_failures) {
  FuzzModel model;
  model.profile.echo = !options.protocol || options.protocol->Provides(Need::kExactEcho);
  model.profile.hooks = options.declared.Has("hooks") && model.profile.echo;
  model.profile.alarm = options.declared.Has("alarm") && options.declared.idle_timeout_ms > 0;
  model.profile.idle_timeout_ms = options.declared.idle_timeout_ms;
  model.profile.fork_failures = fork_failures;
  model.profile.max_connections = options.max_connections;
  if (options.declared.max_children > 0 && options.declared.max_children < model.profile.max_connections)
    model.profile.max_connections = options.declared.max_children;
  return model;
}

std::unique_ptr<StatusParser> MakeParser(const FuzzOptions& options) {
  if (!options.declared.Has("status")) return nullptr;
  std::string error;
  return StatusParser::Create(options.declared.status_pattern, &error);
}

// One test case: a fresh server, a generated schedule, the model beside it.
void RunSchedule(const FuzzSetup& setup, const FuzzModel& initial,
                 const std::function<void(size_t steps)>& starting = nullptr) {
  auto commands = *rc::gen::resize(setup.options->max_commands,
                                   rc::state::gen::commands(initial, &GenFuzzCommand));
  if (starting) starting(commands.size());
  ++setup.record->replays;
  FuzzServer server(setup);
  std::string error;
  if (!server.Start(&error)) server.Fail("START", Say("the server did not start: {0}", error));
  rc::state::runAll(commands, initial, server);
}

std::string ReplayLine(const FuzzOptions& options, uint64_t seed) {
  std::ostringstream line;
  line << options.replay_prefix << " --seed=" << seed << " --runs=1 --";
  for (const std::string& arg : options.argv) line << ' ' << arg;
  return line.str();
}

struct Session {
  std::string workdir;
  std::unique_ptr<StatusParser> parser;
  FuzzModel initial;
  std::string notes;
};

Session Prepare(const FuzzOptions& options) {
  Session session;
  session.workdir = MakeWorkdir();
  session.parser = MakeParser(options);
  std::string why;
  bool faults = ForkFailuresReach(options, session.workdir, &why);
  if (!faults) session.notes = Say("fork() failures left out of the schedules: {0}", why);
  session.initial = InitialModel(options, faults);
  return session;
}

}  // namespace

void CheckServerModel(const FuzzOptions& options) {
  static FuzzRecord unused;
  Session session = Prepare(options);
  FuzzSetup setup{&options, session.parser.get(), session.workdir, &unused};
  RunSchedule(setup, session.initial);
}

FuzzResult RunFuzz(const FuzzOptions& options) {
  BecomeSubreaper();
  FuzzResult result;
  Session session = Prepare(options);
  result.notes = session.notes;
  FuzzRecord record;
  FuzzSetup setup{&options, session.parser.get(), session.workdir, &record};
  QuietListener quiet;
  for (int i = 0; i < options.runs && !result.found; ++i) {
    rc::detail::TestParams params;
    params.seed = options.seed + static_cast<uint64_t>(i);
    params.maxSuccess = 1;
    rc::detail::TestMetadata metadata;
    metadata.id = "fuzz";
    int replays = record.replays;
    record = FuzzRecord{};
    record.replays = replays;
    FuzzProgress progress{i + 1, options.runs, 0, false};
    auto starting = [&](size_t steps) {
      progress.steps = steps;
      if (options.on_schedule) options.on_schedule(progress);
      progress.shrinking = true;  // rapidcheck calls again only to shrink a failure
    };
    auto outcome =
        rc::detail::checkTestable([&] { RunSchedule(setup, session.initial, starting); }, metadata, params, quiet);
    result.runs_done = i + 1;
    result.replays = record.replays;
    rc::detail::FailureResult failure;
    if (!outcome.match(failure)) continue;
    result.found = true;
    result.seed = params.seed;
    result.shrinks = static_cast<int>(failure.reproduce.shrinkPath.size());
    result.requirement = record.requirement.empty() ? "?" : record.requirement;
    result.evidence = record.requirement.empty() ? failure.description : record.evidence;
    for (size_t step = 0; step < record.steps.size(); ++step)
      result.steps.push_back(std::to_string(step + 1) + ". " + record.steps[step]);
    result.replay = ReplayLine(options, params.seed);
  }
  KillAllDescendants(Scaled(Millis(5000)));
  std::error_code ignored;
  std::filesystem::remove_all(session.workdir, ignored);
  return result;
}

std::string FormatFuzzProgress(const FuzzProgress& progress) {
  // TRANSLATORS: the live progress line of `forkcheck fuzz`: run {0} of {1}, a schedule of {2} steps.
  if (progress.shrinking)
    return SayN("[run {0}/{1}] shrinking: schedule of {2} step", "[run {0}/{1}] shrinking: schedule of {2} steps",
                progress.steps, progress.run, progress.runs, progress.steps);
  return SayN("[run {0}/{1}] schedule of {2} step", "[run {0}/{1}] schedule of {2} steps", progress.steps, progress.run,
              progress.runs, progress.steps);
}

std::string FormatFuzzResult(const FuzzOptions& options, const FuzzResult& result) {
  std::ostringstream out;
  if (!result.found) {
    // TRANSLATORS: {1}..{2} are the seeds of the runs.
    out << Say("no violation found in {0} runs (seeds {1}..{2})", result.runs_done, options.seed,
               options.seed + static_cast<uint64_t>(result.runs_done > 0 ? result.runs_done - 1 : 0))
        << "\n";
  } else {
    // TRANSLATORS: {0} is a requirement ID (REAP-2); the numbered steps of the schedule follow.
    out << SayN("{0} violated after {1} step (run {2}, seed {3}, {4} shrink steps, {5} schedules run):",
                "{0} violated after {1} steps (run {2}, seed {3}, {4} shrink steps, {5} schedules run):",
                result.steps.size(), result.requirement, result.steps.size(), result.runs_done, result.seed,
                result.shrinks, result.replays)
        << "\n";
    for (const std::string& step : result.steps) out << "  " << step << "\n";
    // TRANSLATORS: {0} is a command line that replays the failing schedule; it stays as it is.
    out << result.evidence << "\n" << Say("replay: {0}", result.replay) << "\n";
  }
  if (!result.notes.empty()) out << Say("note: {0}", result.notes) << "\n";
  return out.str();
}

}  // namespace forkcheck
