// REAP-3: children killed by signals are reaped and the server keeps serving.
#include <signal.h>

#include <algorithm>

#include "conformance/harness/describe_status.h"
#include "scenarios/fatal_signals.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kReap3 = {
    "REAP-3", Level::kMust, "core", N_("reaps children killed by signals and keeps serving"),
    N_("a child killed by a signal is a zombie like any other: waitpid returns it with "
       "WIFSIGNALED(st) true and WTERMSIG(st) the signal; treat it as a normal end")};

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
    if (!session) return Outcome::Fail(Say("before killing child {0} of 3: {1}", round + 1, why));
    int signo = KillChild(context.sut, session->child, PickSignal(session->child, round, &used), &notes);
    used.push_back(signo);
    std::string evidence = UnreapedEvidence({session->child}, grace + Scaled(Millis(500)));
    if (!evidence.empty())
      // TRANSLATORS: {0} is empty or notes that each end with "; "; {2} is a signal name (SIGKILL).
      return Outcome::Fail(Say("{0}after child {1} died of {2}: {3}", notes, session->child, SignalName(signo),
                               evidence));
    if (!context.sut.Alive())
      return Outcome::Fail(Say("the server exited after its child died of {0}", SignalName(signo)));
    if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
      return Outcome::Fail(Say("after a child died of {0}: {1}", SignalName(signo), why));
  }
  std::string names;
  for (int signo : used) names += (names.empty() ? "" : ", ") + SignalName(signo);
  if (std::count(used.begin(), used.end(), SIGKILL) == 3)
    // TRANSLATORS: a note put before the evidence.
    notes += std::string(Tr("the children catch, ignore or block every other signal the kit could send")) + "; ";
  // TRANSLATORS: {0} is empty or notes that each end with "; "; {1} a list of signal names.
  return Outcome::Pass(Say("{0}children killed by {1} (signals they do not catch) reaped; server kept serving", notes,
                           names));
}

}  // namespace

FORKCHECK_SCENARIO(reap_3, kReap3, Run);

}  // namespace forkcheck
