#ifndef FORKCHECK_HARNESS_DEADLINE_H_
#define FORKCHECK_HARNESS_DEADLINE_H_

#include <chrono>
#include <functional>

namespace forkcheck {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// Every timeout in the kit goes through Scaled(), so one factor
// (--timeout-scale, or FORKCHECK_TIMEOUT_SCALE) stretches them all.
void SetTimeoutScale(double factor);
double TimeoutScale();
Millis Scaled(Millis base);

class Deadline {
 public:
  explicit Deadline(Millis budget) : end_(Clock::now() + budget) {}
  static Deadline Scaled(Millis base) { return Deadline(forkcheck::Scaled(base)); }
  bool Expired() const { return Clock::now() >= end_; }
  Millis Remaining() const;
  int RemainingMsForPoll() const;

 private:
  Clock::time_point end_;
};

// Polls `condition` every `interval` until it holds or `budget` (not scaled
// here) runs out; returns whether it held.
bool PollUntil(const std::function<bool()>& condition, Millis budget,
               Millis interval = Millis(2));

double MillisSince(Clock::time_point start);

}  // namespace forkcheck

#endif  // FORKCHECK_HARNESS_DEADLINE_H_
