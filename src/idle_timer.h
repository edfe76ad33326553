// The child's idle timeout: setitimer(ITIMER_REAL) for millisecond precision;
// SIGALRM only sets a flag and interrupts the blocking read (no SA_RESTART).
#ifndef FORKCHECK_SRC_IDLE_TIMER_H_
#define FORKCHECK_SRC_IDLE_TIMER_H_

#include <csignal>

#include "src/child_path.h"

namespace forkcheck {

class IdleTimer {
 public:
  // 0 disables the timer. Installs the SIGALRM handler otherwise.
  CHILD_PATH explicit IdleTimer(int timeout_ms);

  CHILD_PATH void Arm();
  CHILD_PATH void Disarm();
  bool expired() const { return *flag() != 0; }
  CHILD_PATH const volatile sig_atomic_t* flag() const;

 private:
  int timeout_ms_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_IDLE_TIMER_H_
