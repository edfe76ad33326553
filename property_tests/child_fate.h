// Every way a real forked child can end up in a wait status: exit code,
// death by a signal (with or without a core), stop and continue.
#ifndef FORKCHECK_PROPERTY_TESTS_CHILD_FATE_H_
#define FORKCHECK_PROPERTY_TESTS_CHILD_FATE_H_

#include <ostream>
#include <vector>

#include <rapidcheck.h>

#include "property_tests/decoded.h"

namespace forkcheck {

struct ChildFate {
  enum class Kind { kExit, kSignal, kStop };
  Kind kind = Kind::kExit;
  int value = 0;             // exit code or signal number
  bool core_limit = false;   // RLIMIT_CORE unlimited (else 0)
};

std::ostream& operator<<(std::ostream& os, const ChildFate& fate);

// Signals whose default action terminates (core or not), and those that stop.
const std::vector<int>& TerminatingSignals();
const std::vector<int>& StoppingSignals();
bool DumpsCore(int signo);

rc::Gen<ChildFate> GenChildFate();

// Whether a core-dumping signal actually yields a core here (probed once, in
// TEST_TMPDIR): a piped core_pattern or a read-only cwd would not.
bool CoresWork();

// Runs a real child to `fate` and returns the statuses waitpid reported, in
// order: one for exit/signal; stopped, continued, exited(0) for a stop.
std::vector<int> LiveStatuses(const ChildFate& fate);

// What those statuses must decode to.
std::vector<Decoded> ExpectedDecodings(const ChildFate& fate);

}  // namespace forkcheck

#endif  // FORKCHECK_PROPERTY_TESTS_CHILD_FATE_H_
