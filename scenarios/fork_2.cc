// FORK-2: the child accounting survives children that end before fork()
// has returned in the parent.
#include <algorithm>
#include <string>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kFork2 = {
    "FORK-2", Level::kMust, "core", "keeps its accounting when a child ends before fork() returns in the parent",
    "a child may end, and SIGCHLD be handled, before fork() has returned in the parent: block SIGCHLD with "
    "sigprocmask() around fork() and the bookkeeping (recording the child, counting it for --max-children), "
    "and unblock it only after, as the reference server does"};

// The perturbation: the parent sleeps D ms after each fork() returns, as
// the scheduler may make it, so a child that ends at once is reaped before
// the parent records it. Every fork is delayed: on a loaded machine a child
// may not end within one delay, and each fork is another chance. "" and no
// plan when no backend reaches the server.
std::string ArmParentDelay(Context& context, int delay_ms) {
  if (context.faults == nullptr) return "no perturbation (" + context.faults_unavailable + ")";
  FaultRule rule{0, 0, -1, 1, 0, Role::kParent, delay_ms, false};
  std::string why;
  if (!context.faults->Arm(Family::kFork, rule, &why)) return "no perturbation (" + why + ")";
  return "";
}

// Sessions that end at once: connect and close. At most a few wait in the
// accept queue, so a server with a short backlog drops none.
std::string EndAtOnce(Context& context, int sessions, Millis per_session) {
  uint16_t port = context.sut.port();
  for (int i = 0; i < sessions; ++i) {
    if (!PollUntil([&] { return AcceptQueueLength(port).value_or(0) < 4; }, per_session + Scaled(Millis(2000))))
      return "after " + std::to_string(i) + " of " + std::to_string(sessions) +
             " sessions that ended at once, the server stopped accepting (" +
             std::to_string(AcceptQueueLength(port).value_or(0)) + " connections wait in its queue)";
    auto client = context.sut.Connect(Scaled(Millis(2000)));
    if (!client) return "session " + std::to_string(i + 1) + ": could not connect";
    client->Close();
  }
  if (!PollUntil([&] { return AcceptQueueLength(port).value_or(0) == 0; }, per_session * 4 + Scaled(Millis(2000))))
    return "after " + std::to_string(sessions) + " sessions that ended at once, the server stopped accepting";
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
      return "afterwards only " + std::to_string(i) + " of the declared " + std::to_string(cap) +
             " concurrent sessions were admitted: slots were lost (" + why + ")";
    held.push_back(std::move(*session));
  }
  return "";
}

Outcome Run(Context& context) {
  RequireChildPerSession(context.sut);
  int cap = context.declared.Has("limit") ? context.declared.max_children : 0;
  int sessions = cap > 0 ? 3 * cap : 100;
  int delay_ms = static_cast<int>(PickInRange(context.random, 10, 30));
  std::string unperturbed = ArmParentDelay(context, delay_ms);
  std::string failure = EndAtOnce(context, sessions, Scaled(Millis(delay_ms + 50)));
  std::string faults = context.faults ? context.faults->Describe() : unperturbed;
  if (context.faults) context.faults->DisarmAll();
  FaultCounts counts = context.faults ? context.faults->ArmedCounts(Family::kFork) : FaultCounts{};
  bool delayed = counts.delayed > 0 || !counts.counted;
  if (unperturbed.empty() && !delayed) unperturbed = "unperturbed: the delay never reached the server's fork() (" + faults + ")";
  std::string done = std::to_string(sessions) + " sessions ended at once, " +
                     (unperturbed.empty() ? "with " + faults : unperturbed);
  if (!failure.empty()) return Outcome::Fail(failure + " (" + faults + ")");
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why))
    return Outcome::Fail(done + "; then a new session was not served: " + why);
  if (std::string lost = AdmitsTheCap(context); !lost.empty()) return Outcome::Fail(done + "; " + lost);
  return Outcome::Pass(done + "; the server still served" +
                       (cap > 0 ? " and admitted all " + std::to_string(cap) + " concurrent sessions" : ""));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(fork_2, kFork2, Run);

}  // namespace forkcheck
