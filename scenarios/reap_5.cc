// REAP-5: reaping goes on after the first SIGCHLD.
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap5 = {
    "REAP-5", Level::kMust, "core", N_("keeps reaping after the first SIGCHLD"),
    N_("a handler installed with the old signal() semantics or SA_RESETHAND is reset after the "
       "first SIGCHLD; use sigaction without SA_RESETHAND so the handler stays installed")};

// One session after another, each child reaped before the next ends, so
// no SIGCHLD coalesces (that is REAP-2's concern): only a handler that is
// gone after its first run leaves one behind.
Outcome Run(Context& context) {
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(500));
  const int sessions = 6;
  for (int round = 1; round <= sessions; ++round) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail(Say("session {0}: {1}", round, why));
    session->client.Close();
    std::string evidence = UnreapedEvidence({session->child}, budget);
    if (!evidence.empty())
      return Outcome::Fail(SayN("session {0} of {1}, after the first {2} was reaped: {3}",
                                "session {0} of {1}, after the first {2} were reaped: {3}", round - 1, round,
                                sessions, round - 1, evidence));
  }
  return Outcome::Pass(Say("{0} sessions ended one after another, each child reaped", sessions));
}

}  // namespace

FORKCHECK_SCENARIO(reap_5, kReap5, Run);

}  // namespace forkcheck
