#ifndef FORKCHECK_CONFORMANCE_OPTIONS_H_
#define FORKCHECK_CONFORMANCE_OPTIONS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/harness/protocol.h"
#include "scenarios/scenario.h"

namespace forkcheck {

struct RunnerOptions {
  std::vector<std::string> command;  // empty: the bundled reference server
  ProtocolSpec protocol_spec;
  std::shared_ptr<const Protocol> protocol;  // made from protocol_spec by ParseOptions
  Declared declared;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  bool list = false;
  uint64_t seed = 0;
  int repeat = 1;
  int jobs = 1;  // cases run side by side (--jobs; default: the number of cores)
  std::vector<std::string> argv;  // this run's own command line, for the case processes
  std::string lang;               // --lang (already applied by SetUpLanguage)
  // Set in a case process (--internal-case): run this one case and print
  // its result as JSON.
  std::string internal_case;
  uint64_t internal_seed = 0;
  std::string json_path;
  std::string junit_path;
  std::string html_path;   // self-contained HTML report with process timelines
  std::string trace_path;  // Chrome Trace Event Format
  std::string expectations_path;  // known failures: XFAIL, and XPASS when they pass
  bool xpass_fails = true;        // --xpass=fail (default) or warn
  double timeout_scale = 1.0;
  bool verbose = false;
  // `forkcheck fuzz`: random schedules against a model, shrunk on failure.
  bool fuzz = false;
  int runs = 100;
  std::string replay_prefix;  // "forkcheck fuzz" and the declaration flags given
};

// Printed by --version.
extern const char kVersion[];

// Exit codes of forkcheck, stable and documented in conformance/README.md.
enum ExitCode : int {
  kExitAllMustPass = 0,
  kExitMustFailed = 1,
  kExitUsage = 2,
};

// Parses argv. On --help prints the help and returns an exit code of 0 in
// `exit_code`; on bad input prints one line naming the problem and sets 2.
std::optional<RunnerOptions> ParseOptions(int argc, char** argv, int* exit_code);

bool MatchesAnyGlob(const std::string& id, const std::vector<std::string>& globs);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_OPTIONS_H_
