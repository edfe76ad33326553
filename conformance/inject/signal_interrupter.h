#ifndef FORKCHECK_CONFORMANCE_INJECT_SIGNAL_INTERRUPTER_H_
#define FORKCHECK_CONFORMANCE_INJECT_SIGNAL_INTERRUPTER_H_

#include <sys/types.h>

#include <atomic>
#include <thread>

#include "conformance/inject/fault_plan.h"

namespace forkcheck {

// A real cause instead of a fake EINTR, for servers the preload cannot
// reach: whenever a thread of the server sleeps in one of the family's
// system calls (/proc/PID/task/TID/syscall), that thread is sent SIGCHLD —
// if the server catches SIGCHLD (SigCgt) and the thread does not block it
// (SigBlk), since every server must tolerate a spurious one (INTR-1) — and
// the kernel decides, by the handler's SA_RESTART, whether the call fails
// with EINTR or restarts.
class SignalInterrupter {
 public:
  SignalInterrupter(pid_t server, Family family, const FaultRule& rule);
  ~SignalInterrupter();
  SignalInterrupter(const SignalInterrupter&) = delete;
  SignalInterrupter& operator=(const SignalInterrupter&) = delete;

  // candidates: times a sleeping call was seen; injected: signals sent into
  // one; restarting: sleeping calls left alone because SIGCHLD is not caught.
  FaultCounts Counts() const;

 private:
  void Run(Family family, FaultRule rule);
  // A thread of the server sleeping in one of the family's calls, or 0.
  pid_t SleepingInCall(Family family) const;

  pid_t server_;
  std::atomic<bool> stop_{false};
  std::atomic<long> seen_{0}, sent_{0}, uncaught_{0};
  std::thread thread_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_SIGNAL_INTERRUPTER_H_
