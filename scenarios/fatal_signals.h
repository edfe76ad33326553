#ifndef FORKCHECK_SCENARIOS_FATAL_SIGNALS_H_
#define FORKCHECK_SCENARIOS_FATAL_SIGNALS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "conformance/harness/sut.h"

namespace forkcheck {

// The signals of `candidates`, in order, that would end `pid` now by their
// default action: not caught, ignored or blocked (SigCgt, SigIgn, SigBlk).
// A child that catches SIGTERM survives it; killing it with one it does
// not catch is how the kit makes children die of signals for real.
std::vector<int> SignalsThatKill(pid_t pid, const std::vector<int>& candidates);

// Sends `signo` to `child` and waits for it to end (a zombie or gone). If
// it still runs after 1 s (its handlers changed meanwhile), it is SIGKILLed
// and `note` says so; returns the signal that ended it.
int KillChild(Sut& sut, pid_t child, int signo, std::string* note);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_FATAL_SIGNALS_H_
