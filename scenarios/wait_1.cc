// WAIT-1: waitpid() failing with EINTR is retried; no child is left a zombie.
#include <cerrno>

#include "conformance/inject/fault_plan.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kWait1 = {
    "WAIT-1", Level::kMust, "core", "retries waitpid() after EINTR",
    "waitpid() returning -1 with EINTR does not mean \"no more children\": loop and call it "
    "again, or the child that was ready stays a zombie until some later SIGCHLD"};

// One session at a time: a server that gives up on EINTR leaves exactly the
// child it was reaping, and no later SIGCHLD comes to rescue it.
std::string EndOneSession(Context& context, int round, long count) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return "round " + std::to_string(round) + ": " + why;
  context.faults->Arm(Family::kWaitpid, {EINTR, 0, count, 1, 0, Role::kParent});
  session->client.Close();
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000));
  std::string unreaped = UnreapedEvidence({session->child}, budget);
  context.faults->Disarm(Family::kWaitpid);
  if (!unreaped.empty())
    return "round " + std::to_string(round) + ", " + std::to_string(count) +
           " waitpid() EINTR armed in the parent: " + unreaped;
  return "";
}

Outcome Run(Context& context) {
  if (context.faults == nullptr) return Outcome::Skip(context.faults_unavailable);
  long rounds = PickInRange(context.random, 2, 3);
  for (int round = 1; round <= rounds; ++round) {
    std::string failure = EndOneSession(context, round, PickInRange(context.random, 1, 3));
    if (failure.empty() && !context.sut.Alive()) failure = "the server exited";
    if (!failure.empty()) return Outcome::Fail(failure + " (" + context.faults->Describe() + ")");
  }
  std::string evidence = std::to_string(rounds) + " sessions ended one by one, each child reaped, with " +
                         context.faults->Describe();
  if (context.faults->Injected(Family::kWaitpid) == 0)
    evidence += " (the server never called wait*(): SIGCHLD ignored, the kernel reaps)";
  return Outcome::Pass(evidence);
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(wait_1, kWait1, Run);

}  // namespace forkcheck
