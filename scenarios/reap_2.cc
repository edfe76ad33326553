// REAP-2: every child of a burst is reaped (SIGCHLD signals coalesce).
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

#include <algorithm>

namespace forkcheck {
namespace {

constexpr Requirement kReap2 = {
    "REAP-2", Level::kMust, "core", "reaps every child of a burst",
    "SIGCHLD signals coalesce: one delivery may stand for many exited children. Loop "
    "waitpid(-1, &st, WNOHANG) until it returns 0 (or -1), instead of one wait per signal"};

Outcome Run(Context& context) {
  int burst = 64;
  if (context.declared.max_children > 0) burst = std::min(burst, context.declared.max_children);
  std::string why;
  std::vector<Session> sessions = OpenSessions(context.sut, burst, &why);
  if (sessions.empty())
    return Outcome::Fail(why + (context.declared.max_children > 0
                                    ? ""
                                    : "; if the server caps its concurrent children below 64, declare the cap "
                                      "with --max-children=N"));
  Clock::time_point start = Clock::now();
  for (Session& session : sessions) session.client.Close();
  double spread = MillisSince(start);
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000));
  std::string evidence = UnreapedEvidence(ChildPids(sessions), budget);
  std::string burst_text = std::to_string(burst) + " sessions closed within " +
                           std::to_string(spread).substr(0, 4) + " ms";
  if (!evidence.empty()) return Outcome::Fail(burst_text + ": " + evidence);
  return Outcome::Pass(burst_text + ", all " + std::to_string(burst) + " children reaped");
}

}  // namespace

FORKCHECK_SCENARIO(reap_2, kReap2, Run);

}  // namespace forkcheck
