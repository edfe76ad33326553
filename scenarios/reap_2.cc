// REAP-2: every child of a burst is reaped (SIGCHLD signals coalesce).
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

#include <algorithm>

namespace forkcheck {
namespace {

constexpr Requirement kReap2 = {
    "REAP-2", Level::kMust, "core", N_("reaps every child of a burst"),
    N_("SIGCHLD signals coalesce: one delivery may stand for many exited children. Loop "
       "waitpid(-1, &st, WNOHANG) until it returns 0 (or -1), instead of one wait per signal")};

Outcome Run(Context& context) {
  int burst = 64;
  if (context.declared.max_children > 0) burst = std::min(burst, context.declared.max_children);
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, burst, &why);
  if (sessions.empty() && context.declared.max_children > 0) return Outcome::Fail(why);
  if (sessions.empty())
    // TRANSLATORS: {0} says which session could not be opened, and why.
    return Outcome::Fail(Say("{0}; if the server caps its concurrent children below 64, declare the cap with "
                             "--max-children=N",
                             why));
  Clock::time_point start = Clock::now();
  for (Session& session : sessions) session.client.Close();
  double spread = MillisSince(start);
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000));
  std::string evidence = UnreapedEvidence(ChildPids(sessions), budget);
  std::string spread_ms = std::to_string(spread).substr(0, 4);
  if (!evidence.empty())
    // TRANSLATORS: {1} is a duration in ms; {2} says how many children were not reaped.
    return Outcome::Fail(SayN("{0} session closed within {1} ms: {2}", "{0} sessions closed within {1} ms: {2}",
                              burst, burst, spread_ms, evidence));
  return Outcome::Pass(SayN("{0} session closed within {1} ms, the child reaped",
                            "{0} sessions closed within {1} ms, all {0} children reaped", burst, burst, spread_ms));
}

}  // namespace

FORKCHECK_SCENARIO(reap_2, kReap2, Run);

}  // namespace forkcheck
