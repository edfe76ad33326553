// SHUT-1: SIGTERM ends the whole tree within the declared grace.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/shutdown.h"

namespace forkcheck {
namespace {

constexpr Requirement kShut1 = {
    "SHUT-1", Level::kShould, "shutdown", N_("exits on SIGTERM, leaving no process behind"),
    N_("on SIGTERM close the listening socket, kill() each child, waitpid for all of them "
       "(SIGKILL after a grace period), then exit: no orphan and no zombie")};

Outcome Run(Context& context) { return CheckShutdown(context, SIGTERM); }

}  // namespace

FORKCHECK_SCENARIO(shut_1, kShut1, Run);

}  // namespace forkcheck
