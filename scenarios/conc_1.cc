// CONC-1: an idle client does not hold up another one.
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kConc1 = {
    "CONC-1", Level::kMust, "core", N_("serves clients concurrently"),
    N_("fork() a child per accepted connection and let the parent go straight back to accept(); "
       "a parent that serves the client itself makes every other client wait")};

// Why the two clients do not each have a child of their own.
const char* NotAChildEach(bool first_held, bool second_held) {
  if (!first_held && !second_held)
    return Tr("both clients were served, but not each by a child process of its own (no child holds the first "
              "connection; no child holds the second connection; the kit checks fork-per-connection servers)");
  if (!first_held)
    return Tr("both clients were served, but not each by a child process of its own (no child holds the first "
              "connection; the kit checks fork-per-connection servers)");
  if (!second_held)
    return Tr("both clients were served, but not each by a child process of its own (no child holds the second "
              "connection; the kit checks fork-per-connection servers)");
  return Tr("both clients were served, but not each by a child process of its own (the kit checks "
            "fork-per-connection servers)");
}

// An idle session is one held open (Protocol::Hold): its child waits on
// the client. A second one is held beside it, and a third is served while
// both wait.
Outcome Run(Context& context) {
  const Protocol& protocol = context.sut.protocol();
  Millis second_budget = Scaled(Millis(1000));
  auto idle = context.sut.Connect();
  if (!idle) return Outcome::Fail(Tr("could not connect the idle client"));
  if (std::string failure = protocol.Hold(*idle, Scaled(Millis(2000))); !failure.empty())
    return Outcome::Fail(Say("the first client was not served: {0}", failure));
  auto second = context.sut.Connect();
  if (!second) return Outcome::Fail(Tr("could not connect a second client while the first is idle"));
  Clock::time_point start = Clock::now();
  if (std::string failure = protocol.Hold(*second, second_budget); !failure.empty())
    return Outcome::Fail(Say("while one client held an idle connection, a second client was not served within {0} "
                             "ms: {1}",
                             second_budget.count(), failure));
  double took = MillisSince(start);
  if (!ServerRunning(context.sut)) return Outcome::Fail(Tr("the server exited while the two clients were connected"));
  // Every other check is about the children: it matters that each client
  // has one, not only that both were served.
  auto first_child = context.sut.ChildServing(*idle, Scaled(Millis(1000)));
  auto second_child = context.sut.ChildServing(*second, Scaled(Millis(1000)));
  if (!first_child || !second_child || *first_child == *second_child)
    return Outcome::Fail(NotAChildEach(first_child.has_value(), second_child.has_value()));
  std::string why;
  if (!ServedOnce(context.sut, second_budget, &why))
    return Outcome::Fail(
        Say("while two clients held idle connections, a third was not served within {0} ms: {1}", second_budget.count(),
            why));
  return Outcome::Pass(Say("second client served in {0} ms by child {1} while the first stayed idle with child {2}; a "
                           "third was served while both waited",
                           static_cast<int>(took), *second_child, *first_child));
}

}  // namespace

FORKCHECK_SCENARIO(conc_1, kConc1, Run);

}  // namespace forkcheck
