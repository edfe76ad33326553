#ifndef FORKCHECK_SCENARIOS_PREFORK_WORKERS_H_
#define FORKCHECK_SCENARIOS_PREFORK_WORKERS_H_

#include <sys/types.h>

#include <set>
#include <string>

#include "conformance/harness/sut.h"

namespace forkcheck {

// The live workers of a prefork server: its children that are not zombies.
std::set<pid_t> Workers(const Sut& sut);

// The pool once it is complete: waits until the worker count has not
// changed for 200 ms (a pool still starting up grows meanwhile). Throws
// Blocked (CONC-1) when the server has no worker at all.
std::set<pid_t> SettledPool(const Sut& sut);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_PREFORK_WORKERS_H_
