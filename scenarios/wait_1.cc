// WAIT-1: a wait that fails with EINTR is retried; no child is left a zombie.
#include <dirent.h>
#include <sys/syscall.h>

#include <cerrno>
#include <optional>
#include <string>

#include "conformance/harness/deadline.h"
#include "conformance/harness/procfs.h"
#include "conformance/inject/fault_plan.h"
#include "scenarios/keep_busy.h"
#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kWait1 = {
    "WAIT-1", Level::kMust, "core", N_("retries waitpid() after EINTR"),
    N_("a blocking wait()/waitpid() returns -1 with errno EINTR when a caught signal (handler "
       "without SA_RESTART) interrupts it; that does not mean \"no more children\": retry it, or "
       "the child stays a zombie. Only ECHILD (or 0 with WNOHANG) means nothing is left to reap")};

// Whether no thread of `pid` could be cut in a wait: each sleeps in a
// call, and none in wait4() or waitid() (a thread between calls, or one
// that is gone, keeps it false).
bool NoThreadWaits(pid_t pid) {
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (dir == nullptr) return true;
  bool none = true;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    long call = SleepingSyscall(tasks + "/" + entry->d_name);
    if (call < 0 || call == SYS_wait4 || call == SYS_waitid) none = false;
  }
  closedir(dir);
  return none;
}

// One session ends while EINTR is armed for the parent's wait calls. The
// fault only fires on a call that would block with a signal able to cut
// it (realism.c), so a held session keeps a child alive: a reaper that
// calls wait() again after this child meets a call that really blocks.
std::string EndOneSession(Context& context, int round, long count) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return Say("round {0}: {1}", round, why);
  FaultPlan& faults = *context.faults;
  const long before = faults.ArmedCounts(Family::kWaitpid).injected;
  faults.Arm(Family::kWaitpid, {EINTR, 0, count, 1, 0, Role::kParent});
  session->client.Close();
  Millis budget = Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000));
  std::string unreaped = UnreapedEvidence({session->child}, budget);
  // A signal sent (strace backend) just as the child ended may have cut a
  // wait that was returning anyway: the rest of the count goes to the wait
  // that now sleeps on the held child, if any thread waits at all.
  if (unreaped.empty())
    PollUntil([&] { return faults.ArmedCounts(Family::kWaitpid).injected - before >= count ||
                           NoThreadWaits(context.sut.pid()); },
              Scaled(Millis(200)));
  faults.Disarm(Family::kWaitpid);
  if (!unreaped.empty())
    return Say("round {0}, up to {1} wait EINTR armed in the parent: {2}", round, count, unreaped);
  return "";
}

// Without faults first: a server that does not reap at all is REAP's
// concern, not this one's.
void RequireReapingWithoutFaults(Context& context) {
  std::string why;
  auto session = OpenSession(context.sut, &why);
  if (!session) return;
  session->client.Close();
  RequireReaped({session->child}, Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000)), "REAP-1",
                Tr("without any injected fault, a child whose session ended"));
}

std::string Verdict(const FaultCounts& waits) {
  if (waits.counted && waits.every_call && waits.calls == 0)
    return Tr("the server never called wait*() (SIGCHLD ignored, the kernel reaps)");
  if (waits.counted && waits.injected == 0)
    return Tr("EINTR was never possible: a wait that returns at once (WNOHANG) or that no signal can interrupt "
              "(SA_RESTART) never fails with EINTR");
  return Tr("each EINTR was retried");
}

Outcome Run(Context& context) {
  if (context.faults == nullptr) return Outcome::Skip(context.faults_unavailable);
  RequireReapingWithoutFaults(context);
  std::string why;
  auto held = OpenSession(context.sut, &why);
  if (!held) return Outcome::Fail(why);
  std::optional<KeepBusy> busy(std::in_place, context.sut.protocol(), held->client);
  long rounds = PickInRange(context.random, 2, 3);
  for (int round = 1; round <= rounds; ++round) {
    // At least 2: one may be spent on a wait that was ending anyway.
    std::string failure = EndOneSession(context, round, PickInRange(context.random, 2, 3));
    if (failure.empty() && !context.sut.Alive()) failure = Tr("the server exited");
    // The failure and the faults injected, joined by punctuation only.
    if (!failure.empty()) return Outcome::Fail(fmt::format("{0} ({1})", failure, context.faults->Describe()));
  }
  busy.reset();
  // A signal that arrived late in the last round cut the wait for the held
  // child instead: that child must be reaped too.
  held->client.Close();
  std::string unreaped =
      UnreapedEvidence({held->child}, Scaled(Millis(context.declared.reap_grace_ms)) + Scaled(Millis(1000)));
  if (!unreaped.empty())
    return Outcome::Fail(fmt::format(
        "{0} ({1})", Say("after the rounds with wait EINTR, the held session ended: {0}", unreaped),
        context.faults->Describe()));
  FaultCounts waits = context.faults->ArmedCounts(Family::kWaitpid);
  // TRANSLATORS: {1} says whether EINTR could occur; {2} lists the faults injected.
  return Outcome::Pass(Say("{0} sessions ended one by one beside a held one, each child reaped; {1} ({2})", rounds,
                           Verdict(waits), context.faults->Describe()));
}

}  // namespace

FORKCHECK_FAULT_SCENARIO(wait_1, kWait1, Run);

}  // namespace forkcheck
