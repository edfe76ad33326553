#include "src/clock.h"

#include <time.h>

namespace forkcheck {
namespace {

int64_t NowMs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

int64_t MonotonicMs() { return NowMs(CLOCK_MONOTONIC); }
int64_t WallClockMs() { return NowMs(CLOCK_REALTIME); }

}  // namespace forkcheck
