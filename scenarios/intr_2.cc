// INTR-2: accept() failing with EINTR or ECONNABORTED is retried.
#include <sys/syscall.h>

#include <cerrno>

#include <string>

#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "conformance/l10n/tr.h"
#include "scenarios/model.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kIntr2 = {
    "INTR-2", Level::kMust, "core", N_("retries accept() after EINTR and ECONNABORTED"),
    N_("accept() can fail with EINTR (a signal arrived) or ECONNABORTED (the client gave up in "
       "the queue): both are transient, loop and call accept() again")};

// The parent sleeps in poll() or the like: it calls accept() only once a
// client is queued, so there is no blocking accept() to wait for.
bool AwaitsReadiness(const Context& context) {
  if (AcceptorRole(context.declared) != Role::kParent) return false;
  switch (SleepingSyscall("/proc/" + std::to_string(context.sut.pid()))) {
#ifdef SYS_poll  // not on every architecture
    case SYS_poll:
    case SYS_select:
    case SYS_epoll_wait:
#endif
    case SYS_ppoll:
    case SYS_pselect6:
    case SYS_epoll_pwait:
#ifdef SYS_epoll_pwait2
    case SYS_epoll_pwait2:
#endif
    case SYS_rt_sigsuspend:
      return true;
    default:
      return false;
  }
}

// Clients are echoed while the error is armed for the parent's accept();
// a server blocked in accept() meets it on its next call. EINTR is only
// injected where a real signal could cause it (realism.c): a blocking
// accept() with an empty queue and a handler without SA_RESTART.
std::string ServeThrough(Context& context, int error, long count) {
  FaultPlan& faults = *context.faults;
  long before = faults.Injected(Family::kAccept, AcceptorRole(context.declared));
  std::string why;
  if (!faults.Arm(Family::kAccept, {error, 0, count, 1, 0, AcceptorRole(context.declared)}, &why))
    return Say("cannot arm accept() {0}: {1}", ErrnoName(error), why);
  for (int client = 1; client <= 3; ++client) {
    // A backend that sends a real signal needs to find the server asleep
    // in accept() first; the preload counts its call as it is made.
    long looked_at = faults.ArmedCounts(Family::kAccept).candidates;
    PollUntil(
        [&] { return faults.ArmedCounts(Family::kAccept).candidates > looked_at || AwaitsReadiness(context); },
        Scaled(Millis(100)));
    if (!ServedOnce(context.sut, Scaled(Millis(3000)), &why)) {
      FaultCounts seen = faults.ArmedCounts(Family::kAccept);
      return Say("client {0} after {1} injected accept() {2}: {3}", client, seen.injected, ErrnoName(error), why);
    }
  }
  faults.Disarm(Family::kAccept);
  // ECONNABORTED needs no signal: a server that accepts must have met it.
  if (error != EINTR && faults.Injected(Family::kAccept, AcceptorRole(context.declared)) == before)
    return Say("the server's accept() calls never met the armed {0} (is it calling accept()?)", ErrnoName(error));
  return "";
}

Outcome Run(Context& context) {
  if (context.faults == nullptr) return Outcome::Skip(context.faults_unavailable);
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(2000)), &why)) return Outcome::Fail(why);
  for (int error : {EINTR, ECONNABORTED}) {
    std::string failure = ServeThrough(context, error, PickInRange(context.random, 2, 4));
    if (failure.empty() && !context.sut.Alive()) failure = Tr("the server exited");
    if (!failure.empty()) return Outcome::Fail(failure + " (" + context.faults->Describe() + ")");
  }
  return Outcome::Pass(Say("every client echoed, server alive, with {0}", context.faults->Describe()));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(intr_2, kIntr2, Run);

}  // namespace forkcheck
