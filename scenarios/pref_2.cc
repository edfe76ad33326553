// PREF-2: workers that die at start are respawned with a growing delay.
#include <signal.h>

#include <set>

#include "conformance/harness/procfs.h"
#include "conformance/l10n/tr.h"
#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref2 = {
    "PREF-2", Level::kShould, "prefork", N_("backs off when workers die at start"),
    N_("a worker that dies right after fork() will likely die again: respawn it after a delay that doubles with "
       "each early death (and resets once a worker lives), waiting with sigsuspend() or a timer, never in a tight "
       "loop"),
    0, Company::kNone};

constexpr int kWindowMs = 3000;   // every new worker is killed at once
constexpr int kMeasuredMs = 2000;  // the last part of it, once a backoff had time to grow

struct CrashLoop {
  int forks = 0;           // workers seen during the measured part
  double cpu_percent = 0;  // the parent's CPU over it
};

// Kills every worker as soon as the sampler sees it, as a crash at start
// would end it, and counts the new ones.
CrashLoop KillEveryWorker(Context& context) {
  pid_t server = context.sut.pid();
  std::set<pid_t> seen;
  CrashLoop loop;
  Clock::time_point start = Clock::now(), measure_from = start + Millis(kWindowMs - kMeasuredMs);
  std::optional<ProcStat> cpu_before;
  PollUntil(
      [&] {
        bool measuring = Clock::now() >= measure_from;
        if (measuring && !cpu_before) cpu_before = ReadProcStat(server);
        for (pid_t worker : Workers(context.sut)) {
          if (!seen.insert(worker).second) continue;
          loop.forks += measuring;
          context.sut.KillChild(worker, SIGKILL);
        }
        return false;
      },
      Millis(kWindowMs), Millis(1));
  auto cpu_after = ReadProcStat(server);
  if (cpu_before && cpu_after) loop.cpu_percent = 100.0 * (CpuMillis(*cpu_after) - CpuMillis(*cpu_before)) / kMeasuredMs;
  return loop;
}

Outcome Run(Context& context) {
  size_t pool = SettledPool(context.sut).size();
  CrashLoop loop = KillEveryWorker(context);
  if (!ServerRunning(context.sut)) return Outcome::Fail(Tr("the server exited while its workers died at start"));
  double per_second = loop.forks * 1000.0 / kMeasuredMs;
  // A doubling backoff gives each of the pool's slots a few forks per
  // second at most by now; a tight loop gives hundreds.
  double limit = 10.0 * static_cast<double>(pool);
  std::string summary =
      Say("with every new worker killed at once for {0} ms, the server forked {1} workers in the last {2} ms "
          "({3}/s for a pool of {4}) using {5} % of a core",
          kWindowMs, loop.forks, kMeasuredMs, static_cast<int>(per_second), pool, static_cast<int>(loop.cpu_percent));
  if (per_second > limit || loop.cpu_percent > 50)
    // TRANSLATORS: {0} says how fast the server forked workers that died at start.
    return Outcome::Fail(Say("{0}; the limits are {1}/s and 50 %: it respawns in a tight loop", summary,
                             static_cast<int>(limit)));
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(8000)), &why))
    // TRANSLATORS: {0} says how fast the server forked workers that died at start.
    return Outcome::Fail(Say("{0}; once workers lived again, none served within 8000 ms: {1}", summary, why));
  // TRANSLATORS: {0} says how fast the server forked workers that died at start.
  return Outcome::Pass(Say("{0}; then it served again", summary));
}

}  // namespace

FORKCHECK_SCENARIO(pref_2, kPref2, Run);

}  // namespace forkcheck
