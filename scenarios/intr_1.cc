// INTR-1: accepting goes on under a storm of spurious SIGCHLD.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/keep_busy.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"
#include "scenarios/signal_storm.h"

namespace forkcheck {
namespace {

constexpr Requirement kIntr1 = {
    "INTR-1", Level::kMust, "core", N_("keeps accepting under signal storms"),
    N_("a signal interrupts accept() with EINTR: retry it (or use SA_RESTART). In the SIGCHLD "
       "handler use waitpid(-1, &st, WNOHANG), never a blocking wait(): a spurious SIGCHLD "
       "must not block the parent while its children are alive")};

Outcome Run(Context& context) {
  std::string why;
  // A live child makes a blocking wait() in the handler block for real.
  auto held = OpenSession(context.sut, &why);
  if (!held) return Outcome::Fail(why);
  KeepBusy busy(context.sut.protocol(), held->client);
  SignalStorm storm(context.sut.pid(), SIGCHLD, std::chrono::microseconds(200), context.sut.events());
  const int clients = 30;
  for (int i = 0; i < clients; ++i) {
    if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why)) {
      if (context.sut.Alive())
        return Outcome::Fail(Say("client {0} of {1} during a SIGCHLD storm ({2} signals sent so far): {3}", i + 1,
                                 clients, storm.sent(), why));
      return Outcome::Fail(Say("client {0} of {1} during a SIGCHLD storm ({2} signals sent so far): {3}; the server "
                               "has exited",
                               i + 1, clients, storm.sent(), why));
    }
  }
  long sent = storm.sent();
  if (!context.sut.Alive()) return Outcome::Fail(Tr("the server exited during the storm"));
  return Outcome::Pass(Say("{0} clients echoed while {1} spurious SIGCHLD hit the parent", clients, sent));
}

}  // namespace

FORKCHECK_SCENARIO(intr_1, kIntr1, Run);

}  // namespace forkcheck
