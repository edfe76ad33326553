#ifndef FORKCHECK_SCENARIOS_ALARM_TIMING_H_
#define FORKCHECK_SCENARIOS_ALARM_TIMING_H_

#include <algorithm>

#include "scenarios/scenario.h"

namespace forkcheck {

// The declared idle timeout T and the tolerance allowed around it:
// max(250 ms, T/4), both scaled.
class AlarmTiming {
 public:
  explicit AlarmTiming(const Declared& declared)
      : timeout_(declared.idle_timeout_ms),
        tolerance_(Scaled(Millis(std::max(250, declared.idle_timeout_ms / 4)))) {}
  Millis timeout() const { return timeout_; }
  Millis tolerance() const { return tolerance_; }
  Millis deadline() const { return timeout_ + tolerance_; }

 private:
  Millis timeout_;
  Millis tolerance_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SCENARIOS_ALARM_TIMING_H_
