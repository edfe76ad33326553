// REAP-4: reaping happens while idle; no new connection is needed.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap4 = {
    "REAP-4", Level::kMust, "core", N_("reaps while idle"),
    N_("reaping only after accept() returns leaves zombies until the next client arrives: "
       "install a SIGCHLD handler with sigaction so the idle parent is woken to waitpid")};

Outcome Run(Context& context) {
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, 2, &why);
  if (sessions.empty()) return Outcome::Fail(why);
  sessions[0].client.Close();
  context.sut.KillChild(sessions[1].child, SIGKILL);
  Millis budget = Scaled(Millis(5000));
  std::string evidence = UnreapedEvidence(ChildPids(sessions), budget);
  if (!evidence.empty())
    return Outcome::Fail(Say("no new connection was made: {0}", evidence));
  return Outcome::Pass(Tr("an ended and a killed child were reaped with no new connection"));
}

}  // namespace

FORKCHECK_SCENARIO(reap_4, kReap4, Run);

}  // namespace forkcheck
