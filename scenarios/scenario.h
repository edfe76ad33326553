#ifndef FORKCHECK_SCENARIOS_SCENARIO_H_
#define FORKCHECK_SCENARIOS_SCENARIO_H_

#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "conformance/harness/status_report.h"
#include "conformance/harness/sut.h"

namespace forkcheck {

class FaultPlan;

enum class Level { kMust, kShould };
// kBlocked: a precondition that another requirement covers is broken (the
// server never forks, never reaps, ...), so this one cannot be judged.
enum class Verdict { kPass, kFail, kSkip, kBlocked };

const char* LevelName(Level level);
const char* VerdictName(Verdict verdict);

// What a requirement needs from the protocol beyond service and a held
// session (conformance/harness/protocol.h), as bits; the runner SKIPs it,
// saying why, under a protocol that lacks one.
constexpr unsigned NeedBit(Need need) { return 1u << static_cast<unsigned>(need); }
constexpr unsigned kNeedsExactEcho = NeedBit(Need::kExactEcho);

// What may run beside a case with --jobs: a case that measures time or
// CPU must not share the cores with load.
enum class Company {
  kAny,
  // It measures time but only waits (on the server's timers): two such
  // cases side by side disturb neither, so they may share the cores.
  kWaiters,
  // It measures CPU, or loads the machine while it measures: nothing.
  kNone,
};

// One numbered requirement of conformance/SPEC.md.
struct Requirement {
  const char* id;
  Level level;
  const char* profile;
  const char* title;
  const char* hint;  // printed under a failure, in the textbook's terms
  unsigned needs = 0;
  // What may run beside it with --jobs.
  Company company = Company::kAny;
  // It takes seconds: with --jobs it starts first, so the rest overlaps it.
  bool long_running = false;
};

// "" when `protocol` gives all `requirement` needs, else why not.
std::string MissingNeed(const Requirement& requirement, const Protocol& protocol);

struct Outcome {
  Verdict verdict = Verdict::kPass;
  std::string evidence;
  std::string blocked_by;  // the requirement whose failure blocked this one
  static Outcome Pass(std::string evidence = "") { return {Verdict::kPass, std::move(evidence), ""}; }
  static Outcome Fail(std::string evidence) { return {Verdict::kFail, std::move(evidence), ""}; }
  static Outcome Skip(std::string reason) { return {Verdict::kSkip, std::move(reason), ""}; }
  static Outcome Blocked(std::string by, std::string reason) {
    return {Verdict::kBlocked, std::move(reason), std::move(by)};
  }
};

// Thrown by the session helpers when a precondition of the check is broken
// in a way another requirement covers; the runner turns it into a BLOCK
// verdict, so one bug fails one requirement and no check repeats the test.
class Blocked : public std::runtime_error {
 public:
  Blocked(std::string by, const std::string& reason) : std::runtime_error(reason), by_(std::move(by)) {}
  const std::string& by() const { return by_; }

 private:
  std::string by_;
};

// What the user declares about the server under test.
struct Declared {
  std::set<std::string> profiles{"core"};
  int idle_timeout_ms = 0;
  int max_children = 0;
  int shutdown_grace_ms = 5000;
  int reap_grace_ms = 1000;
  // The process model: "fork" (a child per session) or "prefork" (a pool of
  // workers that each serve sessions one after another).
  std::string model = "fork";
  int max_sessions_per_worker = 0;  // prefork: a worker is recycled after this many
  std::string status_pattern = kDefaultStatusPattern;
  // The loopback address the kit connects to (--host): 127.0.0.1 or ::1.
  std::string host = "127.0.0.1";
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
