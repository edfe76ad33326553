// REAP-5: reaping goes on after the first SIGCHLD.
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap5 = {
    "REAP-5", Level::kMust, "core", "keeps reaping after the first SIGCHLD",
    "a handler installed with the old signal() semantics or SA_RESETHAND is reset after the "
    "first SIGCHLD; use sigaction without SA_RESETHAND so the handler stays installed"};

// One session after another, each child reaped before the next ends, so
// no SIGCHLD coalesces (that is REAP-2's concern): only a handler that is
// gone after its first run leaves one behind.
Outcome Run(Context& context) {
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(500));
  const int sessions = 6;
  for (int round = 1; round <= sessions; ++round) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail("session " + std::to_string(round) + ": " + why);
    session->client.Close();
    std::string evidence = UnreapedEvidence({session->child}, budget);
    if (!evidence.empty())
      return Outcome::Fail("session " + std::to_string(round) + " of " + std::to_string(sessions) +
                           ", after the first " + std::to_string(round - 1) + " were reaped: " + evidence);
  }
  return Outcome::Pass(std::to_string(sessions) + " sessions ended one after another, each child reaped");
}

}  // namespace

FORKCHECK_SCENARIO(reap_5, kReap5, Run);

}  // namespace forkcheck
