#ifndef FORKCHECK_SCENARIOS_SIGNAL_STORM_H_
#define FORKCHECK_SCENARIOS_SIGNAL_STORM_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "conformance/harness/event_log.h"

namespace forkcheck {

// Sends `signo` to `target` every `period` from a thread of its own until
// destroyed; counts what it sent, for the evidence. Its start and end (not
// each signal) go into `log`.
class SignalStorm {
 public:
  SignalStorm(pid_t target, int signo, std::chrono::microseconds period, std::shared_ptr<EventLog> log = nullptr);
  ~SignalStorm();
  SignalStorm(const SignalStorm&) = delete;
  SignalStorm& operator=(const SignalStorm&) = delete;
  long sent() const { return sent_.load(); }

 private:
  pid_t target_;
  int signo_;
  std::shared_ptr<EventLog> log_;
  std::atomic<bool> stop_{false};
  std::atomic<long> sent_{0};
  std::thread thread_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_SIGNAL_STORM_H_
