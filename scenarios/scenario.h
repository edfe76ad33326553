#ifndef FORKCHECK_SCENARIOS_SCENARIO_H_
#define FORKCHECK_SCENARIOS_SCENARIO_H_

#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "conformance/harness/status_report.h"
#include "conformance/harness/sut.h"

namespace forkcheck {

class FaultPlan;

enum class Level { kMust, kShould };
enum class Verdict { kPass, kFail, kSkip };

const char* LevelName(Level level);
const char* VerdictName(Verdict verdict);

// One numbered requirement of conformance/SPEC.md.
struct Requirement {
  const char* id;
  Level level;
  const char* profile;
  const char* title;
  const char* hint;  // printed under a failure, in the textbook's terms
};

struct Outcome {
  Verdict verdict = Verdict::kPass;
  std::string evidence;
  static Outcome Pass(std::string evidence = "") { return {Verdict::kPass, std::move(evidence)}; }
  static Outcome Fail(std::string evidence) { return {Verdict::kFail, std::move(evidence)}; }
  static Outcome Skip(std::string reason) { return {Verdict::kSkip, std::move(reason)}; }
};

// What the user declares about the server under test.
struct Declared {
  std::set<std::string> profiles{"core"};
  int idle_timeout_ms = 0;
  int max_children = 0;
  int shutdown_grace_ms = 5000;
  int reap_grace_ms = 1000;
  std::string status_pattern = kDefaultStatusPattern;
  // Fault backends the kit may use (--backends): preload, strace, kernel.
  std::set<std::string> backends{"preload", "strace", "kernel"};
  bool Has(const std::string& profile) const { return profiles.count(profile) > 0; }
  bool Allows(const std::string& backend) const { return backends.count(backend) > 0; }
};

// Everything a scenario may use: a fresh server, the declarations, a seeded
// random source, and the status parser (null unless the status profile is on).
// A fault scenario also gets the fault plan that reaches this server, or,
// when none does, the reason why.
struct Context {
  Sut& sut;
  const Declared& declared;
  uint64_t seed;
  std::mt19937_64 random;
  const StatusParser* status = nullptr;
  FaultPlan* faults = nullptr;
  std::string faults_unavailable;
};

using ScenarioFn = Outcome (*)(Context&);

struct Scenario {
  Requirement requirement;
  ScenarioFn run;
  bool needs_faults;  // the runner starts the server with a fault plan
};

// All scenarios, sorted by the order of SPEC.md.
const std::vector<Scenario>& AllScenarios();
const Scenario* FindScenario(const std::string& id);

struct ScenarioRegistrar {
  ScenarioRegistrar(const Requirement& requirement, ScenarioFn run, bool needs_faults = false);
};

#define FORKCHECK_SCENARIO(symbol, requirement, run) \
  static const ::forkcheck::ScenarioRegistrar symbol##_registrar(requirement, run)

#define FORKCHECK_FAULT_SCENARIO(symbol, requirement, run) \
  static const ::forkcheck::ScenarioRegistrar symbol##_registrar(requirement, run, true)

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SCENARIO_H_
