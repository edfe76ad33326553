// REAP-1: each child is reaped within the reap grace of its exit.
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

#include <algorithm>

namespace forkcheck {
namespace {

constexpr Requirement kReap1 = {
    "REAP-1", Level::kShould, "core", N_("reaps each child within the reap grace"),
    N_("a child that has exited stays a zombie until the parent calls wait/waitpid: do it from a "
       "SIGCHLD handler installed with sigaction, not on a timer or on the next connection")};

Outcome Run(Context& context) {
  Millis grace = Scaled(Millis(context.declared.reap_grace_ms));
  double worst = 0;
  for (int round = 0; round < 8; ++round) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail(why);
    session->client.Close();
    Clock::time_point closed = Clock::now();
    std::string evidence = UnreapedEvidence({session->child}, grace + Scaled(Millis(200)));
    if (!evidence.empty()) return Outcome::Fail(Say("session {0}: {1}", round + 1, evidence));
    auto record = context.sut.zombies().Snapshot()[session->child];
    double lifetime = record.LifetimeMs().value_or(MillisSince(closed));
    worst = std::max(worst, lifetime);
    if (lifetime > static_cast<double>(grace.count()))
      return Outcome::Fail(Say("child {0} stayed a zombie for {1} ms (grace {2} ms)", session->child,
                               static_cast<int>(lifetime), grace.count()));
  }
  return Outcome::Pass(Say("8 children reaped; longest zombie {0} ms", static_cast<int>(worst)));
}

}  // namespace

FORKCHECK_SCENARIO(reap_1, kReap1, Run);

}  // namespace forkcheck
