// INTR-3: a child interrupted by signals mid-transfer completes the echo.
#include <signal.h>

#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/signal_storm.h"

namespace forkcheck {
namespace {

constexpr Requirement kIntr3 = {
    "INTR-3", Level::kShould, "core", "completes the echo when a child is interrupted by signals",
    "the child inherits the parent's SIGCHLD handler from fork(): read() and write() may fail "
    "with EINTR; retry them instead of ending the session"};

Outcome Run(Context& context) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Outcome::Fail(why);
  std::string payload = RandomBytes(context.random, 1 << 20);
  SignalStorm storm(session->child, SIGCHLD, std::chrono::microseconds(100));
  EchoResult result = EchoExchange(session->client, payload, 4096, context.random(),
                                   Scaled(Millis(10000)));
  long sent = storm.sent();
  if (result.received != payload)
    return Outcome::Fail("with " + std::to_string(sent) + " SIGCHLD sent to child " +
                         std::to_string(session->child) + " during the transfer, " +
                         std::to_string(result.received.size()) + " of " +
                         std::to_string(payload.size()) + " bytes came back" +
                         (result.received == payload.substr(0, result.received.size())
                              ? " (the session ended early)"
                              : " (with corrupted bytes)"));
  return Outcome::Pass("1 MiB echoed intact while " + std::to_string(sent) +
                       " SIGCHLD interrupted the child");
}

}  // namespace

FORKCHECK_SCENARIO(intr_3, kIntr3, Run);

}  // namespace forkcheck
