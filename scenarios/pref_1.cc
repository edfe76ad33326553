// PREF-1: a prefork server replaces a killed worker and keeps serving.
#include <signal.h>

#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref1 = {
    "PREF-1", Level::kMust, "prefork", "respawns a killed worker and keeps serving",
    "in the parent's main loop, waitpid(-1, &st, WNOHANG) each dead worker (a SIGCHLD handler only sets a flag) "
    "and fork() a new one in its place; a pool that only shrinks stops serving once the last worker is gone"};

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
    return "worker " + std::to_string(victim) + " was killed; 3000 ms later " + std::to_string(now.size()) + " of " +
           std::to_string(pool.size()) + " workers ran (" + Pids(now) + "): it was not replaced";
  *note = "worker " + std::to_string(victim) + " killed and replaced in " +
          std::to_string(static_cast<int>(MillisSince(killed))) + " ms";
  return "";
}

// Every worker killed at once: service must come back.
std::string ServesAfterAllKilled(Context& context, std::string* note) {
  std::set<pid_t> pool = Workers(context.sut);
  for (pid_t worker : pool) context.sut.KillChild(worker, SIGKILL);
  Clock::time_point killed = Clock::now();
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(3000)), &why))
    return "all " + std::to_string(pool.size()) + " workers were killed at once; no new one served within 3000 ms: " +
           why;
  *note = "all " + std::to_string(pool.size()) + " killed at once, served again after " +
          std::to_string(static_cast<int>(MillisSince(killed))) + " ms";
  return "";
}

Outcome Run(Context& context) {
  std::set<pid_t> pool = SettledPool(context.sut);
  std::string one, all;
  if (std::string failure = ReplacesOne(context, pool, &one); !failure.empty()) return Outcome::Fail(failure);
  if (std::string failure = ServesAfterAllKilled(context, &all); !failure.empty()) return Outcome::Fail(failure);
  if (!ServerRunning(context.sut)) return Outcome::Fail("the server exited after its workers were killed");
  return Outcome::Pass("a pool of " + std::to_string(pool.size()) + ": " + one + "; " + all);
}

}  // namespace

FORKCHECK_SCENARIO(pref_1, kPref1, Run);

}  // namespace forkcheck
