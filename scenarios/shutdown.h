#ifndef FORKCHECK_SCENARIOS_SHUTDOWN_H_
#define FORKCHECK_SCENARIOS_SHUTDOWN_H_

#include "scenarios/scenario.h"

namespace forkcheck {

// SHUT-1 and SHUT-2: with sessions open, `signo` to the parent makes the
// whole tree end within the declared grace, nothing left alive or zombie.
Outcome CheckShutdown(Context& context, int signo);

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SHUTDOWN_H_
