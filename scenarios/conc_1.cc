// CONC-1: an idle client does not hold up another one.
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kConc1 = {
    "CONC-1", Level::kMust, "core", "serves clients concurrently",
    "fork() a child per accepted connection and let the parent go straight back to accept(); "
    "a parent that serves the client itself makes every other client wait"};

// An idle session is one held open (Protocol::Hold): its child waits on
// the client. A second one is held beside it, and a third is served while
// both wait.
Outcome Run(Context& context) {
  const Protocol& protocol = context.sut.protocol();
  Millis second_budget = Scaled(Millis(1000));
  auto idle = context.sut.Connect();
  if (!idle) return Outcome::Fail("could not connect the idle client");
  if (std::string failure = protocol.Hold(*idle, Scaled(Millis(2000))); !failure.empty())
    return Outcome::Fail("the first client was not served: " + failure);
  auto second = context.sut.Connect();
  if (!second) return Outcome::Fail("could not connect a second client while the first is idle");
  Clock::time_point start = Clock::now();
  if (std::string failure = protocol.Hold(*second, second_budget); !failure.empty())
    return Outcome::Fail("while one client held an idle connection, a second client was not served within " +
                         std::to_string(second_budget.count()) + " ms: " + failure);
  double took = MillisSince(start);
  if (!ServerRunning(context.sut)) return Outcome::Fail("the server exited while the two clients were connected");
  // Every other check is about the children: it matters that each client
  // has one, not only that both were served.
  auto first_child = context.sut.ChildServing(*idle, Scaled(Millis(1000)));
  auto second_child = context.sut.ChildServing(*second, Scaled(Millis(1000)));
  if (!first_child || !second_child || *first_child == *second_child)
    return Outcome::Fail("both clients were served, but not each by a child process of its own (" +
                         std::string(first_child ? "" : "no child holds the first connection; ") +
                         (second_child ? "" : "no child holds the second connection; ") +
                         "the kit checks fork-per-connection servers)");
  std::string why;
  if (!ServedOnce(context.sut, second_budget, &why))
    return Outcome::Fail("while two clients held idle connections, a third was not served within " +
                         std::to_string(second_budget.count()) + " ms: " + why);
  return Outcome::Pass("second client served in " + std::to_string(static_cast<int>(took)) + " ms by child " +
                       std::to_string(*second_child) + " while the first stayed idle with child " +
                       std::to_string(*first_child) + "; a third was served while both waited");
}

}  // namespace

FORKCHECK_SCENARIO(conc_1, kConc1, Run);

}  // namespace forkcheck
