// REAP-3: children killed by signals are reaped and the server keeps serving.
#include <signal.h>

#include <algorithm>

#include "conformance/harness/describe_status.h"
#include "scenarios/fatal_signals.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap3 = {
    "REAP-3", Level::kMust, "core", "reaps children killed by signals and keeps serving",
    "a child killed by a signal is a zombie like any other: waitpid returns it with "
    "WIFSIGNALED(st) true and WTERMSIG(st) the signal; treat it as a normal end"};

// SIGKILL, then two of these that the child does not catch: a child that
// catches SIGSEGV (as inetd-style children may) would survive it.
const std::vector<int> kCandidates = {SIGSEGV, SIGTERM, SIGABRT, SIGUSR1, SIGUSR2, SIGHUP};

int PickSignal(pid_t child, int round, std::vector<int>* used) {
  if (round == 0) return SIGKILL;
  for (int signo : SignalsThatKill(child, kCandidates))
    if (std::find(used->begin(), used->end(), signo) == used->end()) return signo;
  return SIGKILL;
}

Outcome Run(Context& context) {
  Millis grace = Scaled(Millis(context.declared.reap_grace_ms));
  std::vector<int> used;
  std::string notes;
  for (int round = 0; round < 3; ++round) {
    std::string why;
    auto session = OpenSession(context.sut, &why);
    if (!session) return Outcome::Fail("before killing child " + std::to_string(round + 1) + " of 3: " + why);
    int signo = KillChild(context.sut, session->child, PickSignal(session->child, round, &used), &notes);
    used.push_back(signo);
    std::string evidence = UnreapedEvidence({session->child}, grace + Scaled(Millis(500)));
    if (!evidence.empty())
      return Outcome::Fail(notes + "after child " + std::to_string(session->child) + " died of " +
                           SignalName(signo) + ": " + evidence);
    if (!context.sut.Alive())
      return Outcome::Fail("the server exited after its child died of " + SignalName(signo));
    if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
      return Outcome::Fail("after a child died of " + SignalName(signo) + ": " + why);
  }
  std::string names;
  for (int signo : used) names += (names.empty() ? "" : ", ") + SignalName(signo);
  if (std::count(used.begin(), used.end(), SIGKILL) == 3)
    notes += "the children catch, ignore or block every other signal the kit could send; ";
  return Outcome::Pass(notes + "children killed by " + names + " (signals they do not catch) reaped; server kept serving");
}

}  // namespace

FORKCHECK_SCENARIO(reap_3, kReap3, Run);

}  // namespace forkcheck
