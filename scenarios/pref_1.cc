// PREF-1: a prefork server replaces a killed worker and keeps serving.
#include <signal.h>

#include "conformance/l10n/tr.h"
#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref1 = {
    "PREF-1", Level::kMust, "prefork", N_("respawns a killed worker and keeps serving"),
    N_("in the parent's main loop, waitpid(-1, &st, WNOHANG) each dead worker (a SIGCHLD handler only sets a flag) "
       "and fork() a new one in its place; a pool that only shrinks stops serving once the last worker is gone")};

std::string Pids(const std::set<pid_t>& pids) { return PidList(std::vector<pid_t>(pids.begin(), pids.end())); }

// One worker killed: the pool must be whole again, without it.
std::string ReplacesOne(Context& context, const std::set<pid_t>& pool, std::string* note) {
  pid_t victim = *pool.begin();
  context.sut.KillChild(victim, SIGKILL);
  Clock::time_point killed = Clock::now();
  std::set<pid_t> now;
  bool whole = PollUntil(
      [&] {
        now = Workers(context.sut);
        return now.count(victim) == 0 && now.size() >= pool.size();
      },
      Scaled(Millis(3000)), Millis(2));
  if (!whole)
    // TRANSLATORS: {3} is a list of process IDs.
    return Say("worker {0} was killed; 3000 ms later {1} of {2} workers ran ({3}): it was not replaced", victim,
               now.size(), pool.size(), Pids(now));
  *note = Say("worker {0} killed and replaced in {1} ms", victim, static_cast<int>(MillisSince(killed)));
  return "";
}

// Every worker killed at once: service must come back.
std::string ServesAfterAllKilled(Context& context, std::string* note) {
  std::set<pid_t> pool = Workers(context.sut);
  for (pid_t worker : pool) context.sut.KillChild(worker, SIGKILL);
  Clock::time_point killed = Clock::now();
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(3000)), &why))
    return Say("all {0} workers were killed at once; no new one served within 3000 ms: {1}", pool.size(), why);
  *note = Say("all {0} killed at once, served again after {1} ms", pool.size(),
              static_cast<int>(MillisSince(killed)));
  return "";
}

Outcome Run(Context& context) {
  std::set<pid_t> pool = SettledPool(context.sut);
  std::string one, all;
  if (std::string failure = ReplacesOne(context, pool, &one); !failure.empty()) return Outcome::Fail(failure);
  if (std::string failure = ServesAfterAllKilled(context, &all); !failure.empty()) return Outcome::Fail(failure);
  if (!ServerRunning(context.sut)) return Outcome::Fail(Tr("the server exited after its workers were killed"));
  // TRANSLATORS: {1} says how one killed worker was replaced, {2} how service came back after all were killed.
  return Outcome::Pass(Say("a pool of {0}: {1}; {2}", pool.size(), one, all));
}

}  // namespace

FORKCHECK_SCENARIO(pref_1, kPref1, Run);

}  // namespace forkcheck
