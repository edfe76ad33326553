// FORK-2: the child accounting survives children that end before fork()
// has returned in the parent.
#include <algorithm>
#include <string>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFork2 = {
    "FORK-2", Level::kMust, "core", N_("keeps its accounting when a child ends before fork() returns in the parent"),
    N_("a child may end, and SIGCHLD be handled, before fork() has returned in the parent: block SIGCHLD with "
       "sigprocmask() around fork() and the bookkeeping (recording the child, counting it for --max-children), "
       "and unblock it only after, as the reference server does"),
    /*needs=*/0, Company::kAny, /*long_running=*/true};

// The perturbation: the parent sleeps D ms after each fork() returns, as
// the scheduler may make it, so a child that ends at once is reaped before
// the parent records it. Every fork is delayed: on a loaded machine a child
// may not end within one delay, and each fork is another chance. "" and no
// plan when no backend reaches the server.
std::string ArmParentDelay(Context& context, int delay_ms) {
  if (context.faults == nullptr) return Say("no perturbation ({0})", context.faults_unavailable);
  FaultRule rule{0, 0, -1, 1, 0, Role::kParent, delay_ms, false};
  std::string why;
  if (!context.faults->Arm(Family::kFork, rule, &why)) return Say("no perturbation ({0})", why);
  return "";
}

// Sessions that end at once: connect and close. At most a few wait in the
// accept queue, so a server with a short backlog drops none.
std::string EndAtOnce(Context& context, int sessions, Millis per_session) {
  uint16_t port = context.sut.port();
  for (int i = 0; i < sessions; ++i) {
    if (!PollUntil([&] { return AcceptQueueLength(port).value_or(0) < 4; }, per_session + Scaled(Millis(2000))))
      return Say("after {0} of {1} sessions that ended at once, the server stopped accepting ({2} connections wait "
                 "in its queue)",
                 i, sessions, AcceptQueueLength(port).value_or(0));
    auto client = context.sut.Connect(Scaled(Millis(2000)));
    if (!client) return Say("session {0}: could not connect", i + 1);
    client->Close();
  }
  if (!PollUntil([&] { return AcceptQueueLength(port).value_or(0) == 0; }, per_session * 4 + Scaled(Millis(2000))))
    return Say("after {0} sessions that ended at once, the server stopped accepting", sessions);
  return "";
}

// With a declared cap, every slot must still be there: cap sessions at once.
std::string AdmitsTheCap(Context& context) {
  int cap = context.declared.max_children;
  if (cap <= 0 || !context.declared.Has("limit")) return "";
  std::string why;
  std::vector<Session> held;
  for (int i = 0; i < cap; ++i) {
    auto session = OpenSession(context.sut, &why);
    if (!session)
      return Say("afterwards only {0} of the declared {1} concurrent sessions were admitted: slots were lost ({2})", i,
                 cap, why);
    held.push_back(std::move(*session));
  }
  return "";
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  int cap = context.declared.Has("limit") ? context.declared.max_children : 0;
  int sessions = cap > 0 ? 3 * cap : 100;
  int delay_ms = static_cast<int>(PickInRange(context.random, 10, 20));
  std::string unperturbed = ArmParentDelay(context, delay_ms);
  std::string failure = EndAtOnce(context, sessions, Scaled(Millis(delay_ms + 50)));
  std::string faults = context.faults ? context.faults->Describe() : unperturbed;
  if (context.faults) context.faults->DisarmAll();
  FaultCounts counts = context.faults ? context.faults->ArmedCounts(Family::kFork) : FaultCounts{};
  bool delayed = counts.delayed > 0 || !counts.counted;
  if (unperturbed.empty() && !delayed)
    unperturbed = Say("unperturbed: the delay never reached the server's fork() ({0})", faults);
  std::string done;
  if (unperturbed.empty())
    // TRANSLATORS: {1} describes the injected faults, e.g. "preload: fork returns delayed 20 ms in the parent
    // x100 [parent]".
    done = Say("{0} sessions ended at once, with {1}", sessions, faults);
  else
    // TRANSLATORS: {1} says why the server was not perturbed ("no perturbation (...)", "unperturbed: ...").
    done = Say("{0} sessions ended at once, {1}", sessions, unperturbed);
  if (!failure.empty()) return Outcome::Fail(failure + " (" + faults + ")");
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
    return Outcome::Fail(Say("{0}; then a new session was not served: {1}", done, why));
  if (std::string lost = AdmitsTheCap(context); !lost.empty()) return Outcome::Fail(done + "; " + lost);
  if (cap > 0)
    return Outcome::Pass(Say("{0}; the server still served and admitted all {1} concurrent sessions", done, cap));
  return Outcome::Pass(Say("{0}; the server still served", done));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(fork_2, kFork2, Run);

}  // namespace forkcheck
