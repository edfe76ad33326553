// INTR-3: a child interrupted by signals mid-transfer completes the echo.
#include <signal.h>

#include <cerrno>
#include <utility>

#include "conformance/inject/fault_plan.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/signal_storm.h"

namespace forkcheck {
namespace {

constexpr Requirement kIntr3 = {
    "INTR-3", Level::kShould, "core", "completes the echo when a child is interrupted by signals",
    "the child inherits the parent's SIGCHLD handler from fork(): read() and write() may fail "
    "with EINTR or transfer fewer bytes than asked; retry them, and write the rest, instead of "
    "ending the session or dropping bytes"};

// On top of the real signals: the children's socket reads and writes fail
// with EINTR now and then and move at most a few hundred bytes each.
std::string ArmTransfers(Context& context) {
  if (context.faults == nullptr) return "no injected faults (" + context.faults_unavailable + ")";
  // Writes capped below reads, so echoing one read takes several writes.
  for (auto [family, cap] : {std::pair{Family::kRead, PickInRange(context.random, 1024, 4096)},
                             std::pair{Family::kWrite, PickInRange(context.random, 64, 512)}}) {
    FaultRule rule{EINTR, 0, -1, PickInRange(context.random, 3, 7), static_cast<int>(cap), Role::kChildren};
    std::string why;
    if (!context.faults->Arm(family, rule, &why)) return "no injected faults (" + why + ")";
  }
  return "";
}

Outcome Run(Context& context) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  std::string payload = RandomBytes(context.random, 1 << 20);
  std::string not_injected = ArmTransfers(context);
  SignalStorm storm(session->child, SIGCHLD, std::chrono::microseconds(100));
  EchoResult result = EchoExchange(session->client, payload, 4096, context.random(),
                                   Scaled(Millis(10000)));
  long sent = storm.sent();
  if (context.faults) context.faults->DisarmAll();
  std::string faults = not_injected.empty() ? context.faults->Describe() : not_injected;
  if (result.received != payload)
    return Outcome::Fail("with " + std::to_string(sent) + " SIGCHLD sent to child " +
                         std::to_string(session->child) + " during the transfer and " + faults + ", " +
                         std::to_string(result.received.size()) + " of " +
                         std::to_string(payload.size()) + " bytes came back" +
                         (result.received == payload.substr(0, result.received.size())
                              ? " (the session ended early)"
                              : " (with missing or corrupted bytes)"));
  return Outcome::Pass("1 MiB echoed intact while " + std::to_string(sent) +
                       " SIGCHLD interrupted the child, with " + faults);
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(intr_3, kIntr3, Run);

}  // namespace forkcheck
