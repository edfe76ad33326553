// REAP-3: children killed by signals are reaped and the server keeps serving.
#include <signal.h>
#include <string.h>

#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap3 = {
    "REAP-3", Level::kMust, "core", "reaps children killed by signals and keeps serving",
    "a child killed by a signal is a zombie like any other: waitpid returns it with "
    "WIFSIGNALED(st) true and WTERMSIG(st) the signal; treat it as a normal end"};

Outcome Run(Context& context) {
  Millis grace = Scaled(Millis(context.declared.reap_grace_ms));
  for (int signo : {SIGKILL, SIGSEGV, SIGTERM}) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail("before sending " + std::string(strsignal(signo)) + ": " + why);
    kill(session->child, signo);
    std::string evidence = UnreapedEvidence({session->child}, grace + Scaled(Millis(500)));
    if (!evidence.empty())
      return Outcome::Fail("after the kit sent signal " + std::to_string(signo) + " to child " +
                           std::to_string(session->child) + ": " + evidence);
    if (!context.sut.Alive())
      return Outcome::Fail("the server exited after its child died of signal " + std::to_string(signo));
    if (!EchoesOnce(context.sut, "still there?\n", Scaled(Millis(2000)), &why))
      return Outcome::Fail("after a child died of signal " + std::to_string(signo) + ": " + why);
  }
  return Outcome::Pass("children killed by SIGKILL, SIGSEGV, SIGTERM reaped; server kept serving");
}

}  // namespace

FORKCHECK_SCENARIO(reap_3, kReap3, Run);

}  // namespace forkcheck
