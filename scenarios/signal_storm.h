#ifndef FORKCHECK_SCENARIOS_SIGNAL_STORM_H_
#define FORKCHECK_SCENARIOS_SIGNAL_STORM_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace forkcheck {

// Sends `signo` to `target` every `period` from a thread of its own until
// destroyed; counts what it sent, for the evidence.
class SignalStorm {
 public:
  SignalStorm(pid_t target, int signo, std::chrono::microseconds period);
  ~SignalStorm();
  SignalStorm(const SignalStorm&) = delete;
  SignalStorm& operator=(const SignalStorm&) = delete;
  long sent() const { return sent_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<long> sent_{0};
  std::thread thread_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SIGNAL_STORM_H_
