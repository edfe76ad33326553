// One input of the reaper property: a set of children, each told how to end
// (exit code or a signal, never a core) and when (held behind a shared gate
// the parent closes to release them together, at once, or after a delay),
// plus extra signals (spurious SIGCHLD, SIGALRM) delivered to the reaping
// process during the run.
#ifndef FORKCHECK_PROPERTY_TESTS_REAPER_CASE_H_
#define FORKCHECK_PROPERTY_TESTS_REAPER_CASE_H_

#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

namespace forkcheck {

struct ChildPlan {
  // Shrinking goes towards the first of each: together, exit.
  enum class Timing { kTogether, kImmediate, kDelayed };
  bool by_signal = false;
  int value = 0;  // exit code 0..255, or the signal that kills it
  Timing timing = Timing::kTogether;
  int delay_ms = 0;  // kDelayed only: after its fork
};

struct ExtraSignal {
  int signo = 0;  // SIGCHLD or SIGALRM
  int at_ms = 0;  // after the reaping process was started
};

struct ReaperCase {
  std::vector<ChildPlan> children;
  int release_ms = 0;  // kTogether children: gate closed this long after the last fork
  std::vector<ExtraSignal> extras;

  int Together() const;
};

std::ostream& operator<<(std::ostream& os, const ChildPlan& plan);
std::ostream& operator<<(std::ostream& os, const ExtraSignal& extra);
// Starts with "N children" ("1 child"), then a list; the planted-bug test reads N back.
std::ostream& operator<<(std::ostream& os, const ReaperCase& c);

// What WaitStatus::Describe() must say for the child's status.
std::string ExpectedDescription(const ChildPlan& plan);

// Signals a child may die of; default action terminates, core or not (no core
// is ever dumped: RLIMIT_CORE 0 and not dumpable).
const std::vector<int>& ChildDeathSignals();

rc::Gen<ChildPlan> GenChildPlan();
// 1..max_children children (growing with rapidcheck's size), 0..~8 extras.
rc::Gen<ReaperCase> GenReaperCase(int max_children);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_REAPER_CASE_H_
