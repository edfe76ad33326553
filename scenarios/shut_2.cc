// SHUT-2: SIGINT ends the whole tree within the declared grace.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/shutdown.h"

namespace forkcheck {
namespace {

constexpr Requirement kShut2 = {
    "SHUT-2", Level::kShould, "shutdown", N_("exits on SIGINT, leaving no process behind"),
    N_("handle SIGINT (Ctrl-C) like SIGTERM with sigaction: signal the children, waitpid for "
       "each, then exit; exiting at once orphans them")};

Outcome Run(Context& context) { return CheckShutdown(context, SIGINT); }

}  // namespace

FORKCHECK_SCENARIO(shut_2, kShut2, Run);

}  // namespace forkcheck
