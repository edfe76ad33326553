#ifndef FORKCHECK_CONFORMANCE_RUN_CASE_H_
#define FORKCHECK_CONFORMANCE_RUN_CASE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "conformance/harness/status_report.h"
#include "conformance/harness/sut.h"
#include "scenarios/scenario.h"

namespace forkcheck {

struct CaseConfig {
  SutSpec spec;  // argv may hold {port}
  Declared declared;
  const StatusParser* status = nullptr;
  uint64_t seed = 1;
  Millis case_budget{60000};  // scaled by RunCase
};

struct CaseResult {
  const Scenario* scenario = nullptr;
  Outcome outcome;
  double duration_ms = 0;
  std::vector<double> zombie_lifetimes_ms;
  int reaped_before_seen = 0;  // see ZombieWatch::ReapedBeforeSeen
  std::vector<Event> events;   // the case's event log
  pid_t server_pid = 0;
  // How the server died during a failed case ("exited with status 1");
  // "" when it did not; and whether it was right after a child ended.
  std::string server_death;
  bool died_after_child = false;
};

// Why the requirement is skipped with this configuration (a profile not
// declared, no status pattern, a need the protocol lacks), or "".
std::string SkipReason(const Requirement& requirement, const CaseConfig& config);

// Runs one scenario against a fresh server and leaves nothing running.
// A case that outlives its budget has its server tree killed, which ends
// every wait the scenario is in, and is a FAIL. A broken precondition that
// another requirement covers (scenario.h, Blocked) is a BLOCK.
CaseResult RunCase(const Scenario& scenario, const CaseConfig& config);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_RUN_CASE_H_
