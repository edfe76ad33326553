// Self-pipe: signal handlers poke it so the main loop wakes up even when the
// signal was delivered to another thread (e.g. one started by an LD_PRELOAD
// library such as libfiu), where ppoll's EINTR alone would not be seen. In
// the loop's own thread the managed signals are unblocked only inside ppoll,
// which then fails with EINTR, so there a handler leaves the pipe alone.
#ifndef FORKCHECK_SRC_WAKEUP_H_
#define FORKCHECK_SRC_WAKEUP_H_

namespace forkcheck {

// Creates the non-blocking close-on-exec pipe; the calling thread is the
// loop's. False (errno set) on failure.
bool InitWakeup();
int WakeupReadFd();
int WakeupWriteFd();
// Async-signal-safe; preserves errno. No-op before InitWakeup() and in the
// loop's thread.
void WakeFromHandler();
void DrainWakeup();

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_WAKEUP_H_
