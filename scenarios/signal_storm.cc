#include "scenarios/signal_storm.h"

#include <signal.h>

namespace forkcheck {

SignalStorm::SignalStorm(pid_t target, int signo, std::chrono::microseconds period, std::shared_ptr<EventLog> log)
    : target_(target),
      signo_(signo),
      log_(std::move(log)),
      thread_([this, target, signo, period] {
        while (!stop_) {
          if (kill(target, signo) == 0) ++sent_;
          std::this_thread::sleep_for(period);
        }
      }) {
  if (log_)
    log_->Add(EventKind::kSignalSent, target, signo,
              "storm: one every " + std::to_string(period.count()) + " us until the check ends");
}

SignalStorm::~SignalStorm() {
  stop_ = true;
  thread_.join();
  if (log_) log_->Add(EventKind::kSignalSent, target_, signo_, "storm ended: " + std::to_string(sent_) + " sent");
}

}  // namespace forkcheck
