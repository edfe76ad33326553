// forkcheck: the conformance runner. See conformance/README.md.
#include <iostream>

#include "conformance/case_wire.h"
#include "conformance/fuzz/fuzz.h"
#include "conformance/harness/deadline.h"
#include "conformance/harness/own_children.h"
#include "conformance/harness/sut.h"
#include "conformance/l10n/language.h"
#include "conformance/l10n/tr.h"
#include "conformance/options.h"
#include "conformance/progress.h"
#include "conformance/suite.h"

namespace forkcheck {
namespace {

int Usage(const std::string& message) {
  std::cerr << "forkcheck: " << message << "\n";
  return kExitUsage;
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

int Fuzz(const RunnerOptions& options) {
  if (options.command.empty())
    return Usage(Tr("no server command given and the bundled reference server was not found"));
  if (ResolveProgram(options.command[0]).empty())
    return Usage(Say("command not found or not executable: {0}", options.command[0]));
  SetTimeoutScale(options.timeout_scale);
  FuzzOptions fuzz;
  fuzz.argv = options.command;
  fuzz.protocol = options.protocol;
  fuzz.declared = options.declared;
  fuzz.seed = options.seed;
  fuzz.runs = options.runs;
  fuzz.replay_prefix = options.replay_prefix;
  Progress progress(std::cout, DetectStyle());
  fuzz.on_schedule = [&progress](const FuzzProgress& now) {
    if (now.shrinking) progress.Relabel(FormatFuzzProgress(now));
    else progress.Begin(FormatFuzzProgress(now));
  };
  FuzzResult result = RunFuzz(fuzz);
  progress.End();
  std::cout << FormatFuzzResult(fuzz, result) << std::flush;
  if (!result.setup_error.empty()) return kExitUsage;
  return result.found ? kExitMustFailed : kExitAllMustPass;
}

// A case process of --jobs: one case, its result as JSON on stdout. It is
// the subreaper of its own server tree, and kills all of it.
int RunOneCase(const RunnerOptions& options) {
  const Scenario* scenario = FindScenario(options.internal_case);
  std::string error;
  std::unique_ptr<StatusParser> status = StatusParser::Create(options.declared.status_pattern, &error);
  if (scenario == nullptr || !status)
    return Usage(Say("--internal-case: no such case {0}{1}", options.internal_case, error));
  SetTimeoutScale(options.timeout_scale);
  BecomeSubreaper();
  CaseConfig config = ConfigFor(options, status.get());
  config.seed = options.internal_seed;
  std::cout << CaseResultToJson(RunCase(*scenario, config)) << std::endl;
  return kExitAllMustPass;
}

int Main(int argc, char** argv) {
  std::string language_note = SetUpLanguage(LangArgument(argc, argv));
  int exit_code = kExitUsage;
  std::optional<RunnerOptions> options = ParseOptions(argc, argv, &exit_code);
  if (!options) return exit_code;
  if (!language_note.empty() && options->internal_case.empty()) std::cerr << language_note << "\n";
  // Ctrl-C or a CI timeout must not leave the server under test running.
  KillDescendantsOnTermination();
  if (options->fuzz) return Fuzz(*options);
  if (!options->internal_case.empty()) return RunOneCase(*options);
  if (options->list) {
    PrintList(std::cout, *options);
    return kExitAllMustPass;
  }
  if (options->command.empty())
    return Usage(
        Tr("no server command given and the bundled reference server was not found "
           "(build it: bazel build //src:reference_server, or set FORKCHECK_REFERENCE_SERVER)"));
  if (ResolveProgram(options->command[0]).empty())
    return Usage(Say("command not found or not executable: {0}", options->command[0]));
  if (SelectScenarios(*options).empty()) return Usage(Tr("--only/--skip select no requirement (see --list)"));
  std::string error;
  std::unique_ptr<StatusParser> status = StatusParser::Create(options->declared.status_pattern, &error);
  if (!status) return Usage(error);
  Expectations expected;
  if (!options->expectations_path.empty()) {
    auto loaded = LoadExpectations(options->expectations_path, &error);
    if (!loaded) return Usage(error);
    expected = *loaded;
  }
  SetTimeoutScale(options->timeout_scale);
  BecomeSubreaper();
  std::vector<std::string> profiles(options->declared.profiles.begin(), options->declared.profiles.end());
  std::cout << "forkcheck: " << Join(options->command) << "\n"
            << Say("profiles: {0} | seed {1}", Join(profiles), options->seed) << "\n\n";
  TerminalStyle style = DetectStyle();
  RunReport report = RunSuite(*options, status.get(), expected, std::cout, style);
  PrintSummary(std::cout, report, style.color);
  if (!options->json_path.empty() && !WriteJson(options->json_path, report, &error)) return Usage(error);
  if (!options->junit_path.empty() && !WriteJunit(options->junit_path, report, &error)) return Usage(error);
  if (!options->html_path.empty() && !WriteHtml(options->html_path, report, &error)) return Usage(error);
  if (!options->trace_path.empty() && !WriteTrace(options->trace_path, report, &error)) return Usage(error);
  return report.Failed() ? kExitMustFailed : kExitAllMustPass;
}

}  // namespace
}  // namespace forkcheck

int main(int argc, char** argv) {
  int code = forkcheck::Main(argc, argv);
  if (forkcheck::Terminating()) forkcheck::AwaitTermination();
  return code;
}
