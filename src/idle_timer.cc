#include "src/idle_timer.h"

#include <sys/time.h>

#include "src/signals.h"

namespace forkcheck {
namespace {

volatile sig_atomic_t g_expired = 0;

void OnAlarm(int) { g_expired = 1; }

timeval FromMs(int ms) {
  return timeval{ms / 1000, (ms % 1000) * 1000};
}

// After expiry the timer keeps firing every few ms: if the flag was set just
// before the child entered read(), the next SIGALRM still interrupts it.
constexpr int kRefireMs = 5;

}  // namespace

IdleTimer::IdleTimer(int timeout_ms) : timeout_ms_(timeout_ms) {
  if (timeout_ms_ > 0) SetDisposition(SIGALRM, OnAlarm);
}

void IdleTimer::Arm() {
  if (timeout_ms_ <= 0) return;
  itimerval it = {FromMs(kRefireMs), FromMs(timeout_ms_)};
  setitimer(ITIMER_REAL, &it, nullptr);
  // Cleared after re-arming: the old deadline can no longer fire.
  g_expired = 0;
}

void IdleTimer::Disarm() {
  if (timeout_ms_ <= 0) return;
  itimerval it = {};
  setitimer(ITIMER_REAL, &it, nullptr);
  g_expired = 0;
}

const volatile sig_atomic_t* IdleTimer::flag() const { return &g_expired; }

}  // namespace forkcheck
