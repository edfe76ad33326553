// PREF-2: workers that die at start are respawned with a growing delay.
#include <signal.h>

#include <set>

#include "conformance/harness/procfs.h"
#include "scenarios/prefork_workers.h"
#include "scenarios/scenario.h"
#include "scenarios/sessions.h"

namespace forkcheck {
namespace {

constexpr Requirement kPref2 = {
    "PREF-2", Level::kShould, "prefork", "backs off when workers die at start",
    "a worker that dies right after fork() will likely die again: respawn it after a delay that doubles with each "
    "early death (and resets once a worker lives), waiting with sigsuspend() or a timer, never in a tight loop",
    0, true};

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
  if (!ServerRunning(context.sut)) return Outcome::Fail("the server exited while its workers died at start");
  double per_second = loop.forks * 1000.0 / kMeasuredMs;
  // A doubling backoff gives each of the pool's slots a few forks per
  // second at most by now; a tight loop gives hundreds.
  double limit = 10.0 * static_cast<double>(pool);
  std::string summary = "with every new worker killed at once for " + std::to_string(kWindowMs) +
                        " ms, the server forked " + std::to_string(loop.forks) + " workers in the last " +
                        std::to_string(kMeasuredMs) + " ms (" + std::to_string(static_cast<int>(per_second)) +
                        "/s for a pool of " + std::to_string(pool) + ") using " +
                        std::to_string(static_cast<int>(loop.cpu_percent)) + " % of a core";
  if (per_second > limit || loop.cpu_percent > 50)
    return Outcome::Fail(summary + "; the limits are " + std::to_string(static_cast<int>(limit)) +
                         "/s and 50 %: it respawns in a tight loop");
  std::string why;
  if (!ServedOnce(context.sut, Scaled(Millis(8000)), &why))
    return Outcome::Fail(summary + "; once workers lived again, none served within 8000 ms: " + why);
  return Outcome::Pass(summary + "; then it served again");
}

}  // namespace

FORKCHECK_SCENARIO(pref_2, kPref2, Run);

}  // namespace forkcheck
