// Self-pipe: signal handlers poke it so the main loop wakes up even when the
// signal was delivered to another thread (e.g. one started by an LD_PRELOAD
// library such as libfiu), where ppoll's EINTR alone would not be seen.
#ifndef FORKCHECK_SRC_WAKEUP_H_
#define FORKCHECK_SRC_WAKEUP_H_

namespace forkcheck {

// Creates the non-blocking close-on-exec pipe. False (errno set) on failure.
bool InitWakeup();
int WakeupReadFd();
int WakeupWriteFd();
// Async-signal-safe; preserves errno. No-op before InitWakeup().
void WakeFromHandler();
void DrainWakeup();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_WAKEUP_H_
