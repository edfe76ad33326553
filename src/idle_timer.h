// The child's idle timeout: setitimer(ITIMER_REAL) for millisecond precision;
// SIGALRM only sets a flag and interrupts the blocking read (no SA_RESTART).
#ifndef FORKCHECK_SRC_IDLE_TIMER_H_
#define FORKCHECK_SRC_IDLE_TIMER_H_

#include <csignal>

namespace forkcheck {

class IdleTimer {
 public:
  // 0 disables the timer. Installs the SIGALRM handler otherwise.
  explicit IdleTimer(int timeout_ms);

  void Arm();
  void Disarm();
  bool expired() const { return *flag() != 0; }
  const volatile sig_atomic_t* flag() const;

 private:
  int timeout_ms_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_IDLE_TIMER_H_
