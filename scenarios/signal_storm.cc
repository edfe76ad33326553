#include "scenarios/signal_storm.h"

#include <signal.h>

namespace forkcheck {

SignalStorm::SignalStorm(pid_t target, int signo, std::chrono::microseconds period)
    : thread_([this, target, signo, period] {
        while (!stop_) {
          if (kill(target, signo) == 0) ++sent_;
          std::this_thread::sleep_for(period);
        }
      }) {}

SignalStorm::~SignalStorm() {
  stop_ = true;
  thread_.join();
}

}  // namespace forkcheck
