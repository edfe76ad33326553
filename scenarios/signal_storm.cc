#include "scenarios/signal_storm.h"

#include <signal.h>

#include "conformance/l10n/tr.h"

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
              Say("storm: one every {0} us until the check ends", period.count()));
}

SignalStorm::~SignalStorm() {
  stop_ = true;
  thread_.join();
  if (log_) log_->Add(EventKind::kSignalSent, target_, signo_, Say("storm ended: {0} sent", sent_.load()));
}

}  // namespace forkcheck
