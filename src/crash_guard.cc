#include "src/crash_guard.h"

namespace forkcheck {

int CrashGuard::OnDeath(int64_t now_ms, int64_t started_ms, uint32_t sessions, bool recovered) {
  const bool healthy = Healthy(now_ms, started_ms, sessions);
  // An old worker's health says nothing about whether new ones can start.
  if (recovered || (healthy && started_ms > last_early_ms_)) {
    backoff_.Reset();
    last_early_ms_ = -1;
  }
  if (healthy) return 0;
  last_early_ms_ = now_ms;
  return backoff_.Fail(now_ms);
}

}  // namespace forkcheck
