// Prefork mode: workers that keep dying right after they start must not be
// respawned in a tight loop.
#ifndef FORKCHECK_SRC_CRASH_GUARD_H_
#define FORKCHECK_SRC_CRASH_GUARD_H_

#include <cstdint>

#include "src/backoff.h"

namespace forkcheck {

class CrashGuard {
 public:
  // A worker that dies sooner than this after its start, before accepting any
  // connection, died early. One that lives longer, or accepts one, is healthy.
  static constexpr int kEarlyMs = 1000;

  static bool Healthy(int64_t now_ms, int64_t started_ms, uint32_t sessions) {
    return now_ms - started_ms >= kEarlyMs || sessions > 0;
  }

  // Records a worker's death. `recovered`: a live worker started since the
  // last early death is healthy. A streak of early deaths ends when a worker
  // started since the last one proves healthy; each early death in a streak
  // doubles the respawn delay (100 ms to 5 s). Returns that delay, or 0 when
  // this death was not early.
  int OnDeath(int64_t now_ms, int64_t started_ms, uint32_t sessions, bool recovered);
  bool Active(int64_t now_ms) const { return backoff_.Active(now_ms); }
  int Remaining(int64_t now_ms) const { return backoff_.Remaining(now_ms); }
  // Time of the last early death of the current streak; -1 outside a streak.
  int64_t last_early_ms() const { return last_early_ms_; }

 private:
  Backoff backoff_{100, 5000};
  int64_t last_early_ms_ = -1;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_CRASH_GUARD_H_
