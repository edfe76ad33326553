// CONC-1: an idle client does not hold up another one.
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kConc1 = {
    "CONC-1", Level::kMust, "core", "serves clients concurrently",
    "fork() a child per accepted connection and let the parent go straight back to accept(); "
    "a parent that serves the client itself makes every other client wait"};

Outcome Run(Context& context) {
  auto idle = context.sut.Connect();
  if (!idle) return Outcome::Fail("could not connect the idle client");
  if (!idle->SendAll("x", Scaled(Millis(1000))) || idle->ReadUpTo(1, Scaled(Millis(2000))) != "x")
    return Outcome::Fail("the first client was not echoed");
  auto second = context.sut.Connect();
  if (!second) return Outcome::Fail("could not connect a second client while the first is idle");
  Clock::time_point start = Clock::now();
  if (!second->SendAll("hello\n", Scaled(Millis(1000))))
    return Outcome::Fail("could not send to the second client");
  std::string echoed = second->ReadUpTo(6, Scaled(Millis(1000)));
  if (echoed != "hello\n")
    return Outcome::Fail("while one client held an idle connection, a second client got " +
                         std::to_string(echoed.size()) + " of 6 bytes back within 1000 ms");
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
  return Outcome::Pass("second client echoed in " + std::to_string(static_cast<int>(took)) +
                       " ms by child " + std::to_string(*second_child) + " while the first stayed idle with child " +
                       std::to_string(*first_child));
}

}  // namespace

FORKCHECK_SCENARIO(conc_1, kConc1, Run);

}  // namespace forkcheck
