#include "scenarios/prefork_workers.h"

#include "conformance/l10n/tr.h"
#include "scenarios/scenario.h"

namespace forkcheck {

std::set<pid_t> Workers(const Sut& sut) {
  std::set<pid_t> workers;
  for (const ProcStat& child : sut.LiveChildren()) workers.insert(child.pid);
  return workers;
}

std::set<pid_t> SettledPool(const Sut& sut) {
  std::set<pid_t> pool = Workers(sut);
  Clock::time_point stable_since = Clock::now();
  PollUntil(
      [&] {
        std::set<pid_t> now = Workers(sut);
        if (now != pool) pool = now, stable_since = Clock::now();
        return !pool.empty() && Clock::now() - stable_since >= Scaled(Millis(200));
      },
      Scaled(Millis(5000)), Millis(5));
  if (pool.empty()) throw Blocked("CONC-1", Tr("the server has no worker process (CONC-1)"));
  return pool;
}

}  // namespace forkcheck
