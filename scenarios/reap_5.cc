// REAP-5: reaping goes on after the first SIGCHLD: bursts with pauses.
#include <thread>

#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap5 = {
    "REAP-5", Level::kMust, "core", "keeps reaping after the first SIGCHLD",
    "a handler installed with the old signal() semantics or SA_RESETHAND is reset after the "
    "first SIGCHLD; use sigaction without SA_RESETHAND so the handler stays installed"};

Outcome Run(Context& context) {
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(500));
  for (int round = 1; round <= 3; ++round) {
    std::string why;
    std::vector<Session> sessions = OpenSessions(context.sut, 6, &why);
    if (sessions.empty()) return Outcome::Fail("round " + std::to_string(round) + ": " + why);
    for (Session& session : sessions) session.client.Close();
    std::string evidence = UnreapedEvidence(ChildPids(sessions), budget);
    if (!evidence.empty()) return Outcome::Fail("burst " + std::to_string(round) + " of 3: " + evidence);
    // A quiet gap between bursts: the pauses are the point of the test.
    std::this_thread::sleep_for(Scaled(Millis(150)));
  }
  return Outcome::Pass("3 bursts of 6 sessions, separated by pauses, all reaped");
}

}  // namespace

FORKCHECK_SCENARIO(reap_5, kReap5, Run);

}  // namespace forkcheck
